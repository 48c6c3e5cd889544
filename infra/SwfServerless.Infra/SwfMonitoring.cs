using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.SNS;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// Alarms, each to one SNS topic (no data is not a breach), chosen for a fixed cost at rest: seven single-metric
/// alarms ($0.10 a month each at list prices), one custom metric among them, and no dashboard ($3 a month each
/// with no free tier counted; docs/deploy.md says how to build one from these metrics and the request log).
/// <list type="bullet">
/// <item>each function's Errors (an unhandled failure: the API answers SWF's faults as 4xx, so any is a bug or an
/// outage). No throttle alarms: a throttled Api call is an API 5xx, a throttled stream batch shows as iterator age,
/// a throttled timer as timer lag, each alarmed below;</item>
/// <item>the API's 5XXError (the service answers no input with a 5xx);</item>
/// <item>the stream worker's IteratorAge (records waiting more than a minute);</item>
/// <item>the stream's failure queue holding anything;</item>
/// <item>timer lag: how late deadlines fire, from the timer's own metric (namespace SwfServerless,
/// TimerLagMilliseconds, embedded metric format, no dimension: delay-queue fires and sweeps alike), p99 over 5 s.</item>
/// </list>
/// </summary>
public sealed class SwfMonitoring : Construct
{
    public const string Namespace = "SwfServerless";
    public const string TimerLagMetric = "TimerLagMilliseconds";

    private static readonly Duration Period = Duration.Minutes(5);

    public SwfMonitoring(Construct scope, string id, SwfFunctions functions, SwfApi api, SwfStreamWorker streams)
        : base(scope, id)
    {
        AlarmTopic = new Topic(this, "AlarmTopic", new TopicProps { DisplayName = "SwfServerless alarms" });
        var action = new SnsAction(AlarmTopic);

        Alarm Add(string name, IMetric metric, double threshold, ComparisonOperator comparison, string description, int evaluationPeriods = 1, int? datapoints = null)
        {
            var alarm = new Alarm(this, name, new AlarmProps
            {
                Metric = metric,
                Threshold = threshold,
                ComparisonOperator = comparison,
                EvaluationPeriods = evaluationPeriods,
                DatapointsToAlarm = datapoints,
                TreatMissingData = TreatMissingData.NOT_BREACHING,
                AlarmDescription = description,
            });
            alarm.AddAlarmAction(action);
            alarm.AddOkAction(action);
            Alarms.Add(alarm);
            return alarm;
        }

        foreach (var (name, function) in functions.All.Select(f => (f.Node.Id, f)))
        {
            Add(name + "Errors", function.MetricErrors(new MetricOptions { Period = Period, Statistic = Stats.SUM }), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, $"The {name} function failed (unhandled error or timeout) in the last 5 minutes.");
        }

        ServerErrors = api.Api.DeploymentStage.MetricServerError(new MetricOptions { Period = Period, Statistic = Stats.SUM });
        Add("Api5xx", ServerErrors, 5, ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
            "API Gateway answered 5 or more 5xx in 5 minutes (function errors, throttles or integration timeouts).");

        IteratorAge = functions.Stream.Metric("IteratorAge", new MetricOptions { Period = Duration.Minutes(1), Statistic = Stats.MAXIMUM });
        Add("StreamIteratorAge", IteratorAge, 60_000, ComparisonOperator.GREATER_THAN_THRESHOLD,
            "Stream records waited over 60 s for the worker in 3 of the last 5 minutes (a backlog: closes, fan-outs and visibility are late).",
            evaluationPeriods: 5, datapoints: 3);

        FailedRecords = streams.FailureQueue.MetricApproximateNumberOfMessagesVisible(new MetricOptions { Period = Period, Statistic = Stats.MAXIMUM });
        Add("StreamFailures", FailedRecords, 0, ComparisonOperator.GREATER_THAN_THRESHOLD,
            "Stream records exhausted their retries and wait in the failure queue: inspect and replay them within 24 hours.");

        TimerLag = new Metric(new MetricProps
        {
            Namespace = Namespace,
            MetricName = TimerLagMetric,
            Statistic = "p99",
            Period = Period, // no label: a labelled metric renders as a metric-math alarm
        });
        Add("TimerLag", TimerLag, 5000, ComparisonOperator.GREATER_THAN_THRESHOLD,
            "Deadlines (timers and timeouts) fired more than 5 s late at p99 over 5 minutes.");
    }

    public Topic AlarmTopic { get; }

    public List<Alarm> Alarms { get; } = [];

    public IMetric ServerErrors { get; }

    public IMetric IteratorAge { get; }

    public IMetric FailedRecords { get; }

    public IMetric TimerLag { get; }
}
