using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace SwfServerless.Functions.Timers;

/// <summary>
/// The delay queue on SQS: one SendMessageBatch per batch, each message with its own <c>DelaySeconds</c>. Entries SQS
/// refuses for its own reasons (not the sender's) are sent once more; what still fails is reported in a
/// <see cref="TimerQueueException"/>. The client is made on first use, so a function that never sends (the API)
/// pays nothing for it at start. No reflection: the SDK's marshallers and a source-generated body.
/// </summary>
public sealed class SqsTimerQueue : ITimerQueue
{
    private readonly Lazy<IAmazonSQS> sqs;

    public SqsTimerQueue(string queueUrl, Func<IAmazonSQS> client)
    {
        QueueUrl = queueUrl;
        sqs = new Lazy<IAmazonSQS>(client, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public SqsTimerQueue(string queueUrl, IAmazonSQS client)
        : this(queueUrl, () => client)
    {
    }

    public string QueueUrl { get; }

    public async Task SendAsync(IReadOnlyList<TimerMessage> batch, CancellationToken ct)
    {
        if (batch.Count > TimerMessage.MaxBatch)
        {
            throw new ArgumentException($"At most {TimerMessage.MaxBatch} messages per batch.", nameof(batch));
        }

        var pending = batch;
        for (var attempt = 1; pending.Count > 0; attempt++)
        {
            var response = await sqs.Value.SendMessageBatchAsync(new SendMessageBatchRequest
            {
                QueueUrl = QueueUrl,
                Entries = [.. pending.Select((m, i) => new SendMessageBatchRequestEntry
                {
                    Id = i.ToString(CultureInfo.InvariantCulture),
                    MessageBody = m.Body(),
                    DelaySeconds = m.DelaySeconds,
                })],
            }, ct);

            var failed = response.Failed ?? [];
            if (failed.Count == 0)
            {
                return;
            }

            var notSent = failed.Select(f => pending[int.Parse(f.Id, NumberStyles.None, CultureInfo.InvariantCulture)]).ToList();
            if (attempt >= 2 || failed.Any(f => f.SenderFault == true))
            {
                var first = failed[0];
                throw new TimerQueueException($"SQS refused {failed.Count} of {pending.Count} messages: {first.Code} {first.Message}", notSent);
            }

            pending = notSent;
        }
    }
}
