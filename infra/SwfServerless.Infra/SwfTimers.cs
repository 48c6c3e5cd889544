using Amazon.CDK;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Lambda.EventSources;
using Amazon.CDK.AWS.SQS;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// What makes deadlines fire deployed (docs/timers.md, "Deployed"): a rule that runs the timer's sweep every minute,
/// and the delay queue into which the sweep (what falls due within the minute) and the stream worker (a deadline set
/// less than a minute ahead) send one message per deadline, delayed until it falls due; the queue's event source
/// mapping hands the messages back to the timer, which fires them.
/// </summary>
public sealed class SwfTimers : Construct
{
    public const string QueueUrlVariable = "SWF_TIMER_QUEUE_URL";

    /// <summary>Messages per timer invocation (SQS's largest batch without a batching window, which would delay fires).</summary>
    public const int BatchSize = 10;

    public SwfTimers(Construct scope, string id, SwfFunctions functions)
        : base(scope, id)
    {
        var timer = functions.Timer;
        DelayQueue = new Queue(this, "DelayQueue", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            // Lambda's rule for a queue it polls: at least six times the function's timeout.
            VisibilityTimeout = Duration.Seconds(timer.Timeout!.ToSeconds() * 6),
            // A message is only a wake-up: its deadline stays in the due-time index, and every sweep fires whatever is
            // overdue, so a message older than this is of no use.
            RetentionPeriod = Duration.Days(1),
        });

        timer.AddEventSource(new SqsEventSource(DelayQueue, new SqsEventSourceProps
        {
            BatchSize = BatchSize,
            ReportBatchItemFailures = true,
        }));
        DelayQueue.Grant(functions.Stream.Role!, "sqs:SendMessage");
        DelayQueue.Grant(timer.Role!, "sqs:SendMessage");
        functions.AddTimerEnvironment(QueueUrlVariable, DelayQueue.QueueUrl);

        Sweep = new Rule(this, "Sweep", new RuleProps
        {
            Description = "SwfServerless: the timer's sweep of what falls due",
            Schedule = Schedule.Rate(Duration.Minutes(1)),
        });
        // A sweep that cannot be delivered within a minute is replaced by the next one; a failed sweep likewise.
        Sweep.AddTarget(new LambdaFunction(timer, new LambdaFunctionProps { RetryAttempts = 2, MaxEventAge = Duration.Minutes(1) }));
        timer.ConfigureAsyncInvoke(new EventInvokeConfigOptions { RetryAttempts = 0, MaxEventAge = Duration.Minutes(1) });
    }

    public Queue DelayQueue { get; }

    public Rule Sweep { get; }
}
