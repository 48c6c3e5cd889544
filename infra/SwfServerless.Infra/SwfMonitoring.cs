using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.SNS;
using Constructs;

namespace SwfServerless.Infra;

/// <summary>
/// Alarms (each to one SNS topic; no data is not a breach) and one dashboard with the same metrics and more:
/// <list type="bullet">
/// <item>each function's Errors (an unhandled failure: the API answers SWF's faults as 4xx, so any is a bug or an
/// outage) and Throttles;</item>
/// <item>the API's 5XXError (the service answers no input with a 5xx);</item>
/// <item>the stream worker's IteratorAge (records waiting more than a minute);</item>
/// <item>the stream's failure queue holding anything;</item>
/// <item>timer lag: how late deadlines fire, from the timer's own metric (namespace SwfServerless,
/// TimerLagMilliseconds, embedded metric format, by Action: TimerFire and TimerSweep), p99 over 5 s.</item>
/// </list>
/// </summary>
public sealed class SwfMonitoring : Construct
{
    public const string Namespace = "SwfServerless";
    public const string TimerLagMetric = "TimerLagMilliseconds";

    /// <summary>The Action dimension of the timer's two kinds of invocation (TimerFunction's request log lines).</summary>
    public const string TimerFireAction = "TimerFire";
    public const string TimerSweepAction = "TimerSweep";

    private static readonly Duration Period = Duration.Minutes(5);

    public SwfMonitoring(Construct scope, string id, SwfTable table, SwfFunctions functions, SwfApi api, SwfStreamWorker streams, SwfTimers timers)
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

        foreach (var (name, function) in new[] { ("Api", functions.Api), ("Stream", functions.Stream), ("Timer", functions.Timer) })
        {
            Add(name + "Errors", function.MetricErrors(new MetricOptions { Period = Period, Statistic = Stats.SUM }), 1,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, $"The {name} function failed (unhandled error or timeout) in the last 5 minutes.");
            Add(name + "Throttles", function.MetricThrottles(new MetricOptions { Period = Period, Statistic = Stats.SUM }), 5,
                ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, $"The {name} function was throttled 5 times or more in 5 minutes (concurrency limit).");
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

        // The timer writes its lag with the dimension Action: TimerFire (a delay-queue batch, the precise path) and
        // TimerSweep (the minute sweep, which fires what the queue missed). The alarm takes the worse p99 of the two.
        TimerLag = new MathExpression(new MathExpressionProps
        {
            Expression = "MAX([fire, sweep])",
            Label = "Timer lag p99 (worse of fire and sweep)",
            UsingMetrics = new Dictionary<string, IMetric> { ["fire"] = TimerLagOf(TimerFireAction, "p99"), ["sweep"] = TimerLagOf(TimerSweepAction, "p99") },
            Period = Period,
        });
        Add("TimerLag", TimerLag, 5000, ComparisonOperator.GREATER_THAN_THRESHOLD,
            "Deadlines (timers and timeouts) fired more than 5 s late at p99 over 5 minutes.");

        Dashboard = new Dashboard(this, "Dashboard", new DashboardProps { DefaultInterval = Duration.Hours(3) });
        Dashboard.AddWidgets(Widgets(table, functions, api, timers));
    }

    public Topic AlarmTopic { get; }

    public List<Alarm> Alarms { get; } = [];

    public Dashboard Dashboard { get; }

    public IMetric ServerErrors { get; }

    public IMetric IteratorAge { get; }

    public IMetric FailedRecords { get; }

    public IMetric TimerLag { get; }

    private static Metric TimerLagOf(string action, string statistic) => new(new MetricProps
    {
        Namespace = Namespace,
        MetricName = TimerLagMetric,
        DimensionsMap = new Dictionary<string, string> { ["Action"] = action },
        Statistic = statistic,
        Period = Period,
        Label = $"{action} {statistic}",
    });

    private IWidget[] Widgets(SwfTable table, SwfFunctions functions, SwfApi api, SwfTimers timers)
    {
        var stage = api.Api.DeploymentStage;
        var functionList = new[] { ("Api", functions.Api), ("Stream", functions.Stream), ("Timer", functions.Timer) };
        GraphWidget Graph(string title, IMetric[] left, IMetric[]? right = null) =>
            new(new GraphWidgetProps { Title = title, Left = left, Right = right, Width = 8, Height = 6 });
        IMetric PerFunction(Function f, string name, string label, string statistic = "Sum") =>
            f.Metric(name, new MetricOptions { Statistic = statistic, Label = label, Period = Duration.Minutes(1) });
        IMetric Table(string name) => new Metric(new MetricProps
        {
            Namespace = "AWS/DynamoDB", MetricName = name, DimensionsMap = new Dictionary<string, string> { ["TableName"] = table.TableName },
            Statistic = Stats.SUM, Period = Duration.Minutes(1),
        });
        // The API's own metrics, one line per action (dimension Action), found by search and labelled by action.
        IMetric ByAction(string metric, string statistic) => new MathExpression(new MathExpressionProps
        {
            Expression = $"SEARCH('{{{Namespace},Action}} MetricName=\"{metric}\"', '{statistic}', 300)",
            Label = "${PROP('Dim.Action')}",
            UsingMetrics = new Dictionary<string, IMetric>(),
            Period = Period,
        });

        return
        [
            Graph("API requests and 5xx", [stage.MetricCount(new MetricOptions { Period = Duration.Minutes(1), Statistic = Stats.SUM })],
                [stage.MetricServerError(new MetricOptions { Period = Duration.Minutes(1), Statistic = Stats.SUM }),
                 stage.MetricClientError(new MetricOptions { Period = Duration.Minutes(1), Statistic = Stats.SUM })]),
            Graph("API latency (ms)", [stage.MetricLatency(new MetricOptions { Statistic = "p50" }), stage.MetricLatency(new MetricOptions { Statistic = "p99" }),
                stage.MetricIntegrationLatency(new MetricOptions { Statistic = "p99" })]),
            Graph("Function errors", [.. functionList.Select(f => PerFunction(f.Item2, "Errors", f.Item1))]),
            Graph("Function throttles", [.. functionList.Select(f => PerFunction(f.Item2, "Throttles", f.Item1))]),
            Graph("Function duration p99 (ms)", [.. functionList.Select(f => PerFunction(f.Item2, "Duration", f.Item1, "p99"))]),
            Graph("Stream iterator age (ms)", [IteratorAge], [FailedRecords]),
            Graph("Timer lag (ms)",
                [TimerLagOf(TimerFireAction, "p99"), TimerLagOf(TimerFireAction, "p50"), TimerLagOf(TimerSweepAction, "p99"), TimerLagOf(TimerSweepAction, "p50")],
                [timers.DelayQueue.MetricApproximateNumberOfMessagesVisible(), timers.DelayQueue.MetricApproximateAgeOfOldestMessage()]),
            Graph("DynamoDB capacity (units per minute)", [Table("ConsumedWriteCapacityUnits"), Table("ConsumedReadCapacityUnits")]),
            Graph("Requests by action", [ByAction("Requests", "Sum")]),
            Graph("Faults by action", [ByAction("Faults", "Sum")]),
            Graph("Latency by action, p99 (ms)", [ByAction("LatencyMilliseconds", "p99")]),
        ];
    }
}
