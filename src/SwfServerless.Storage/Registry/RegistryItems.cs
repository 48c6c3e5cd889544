using Amazon.DynamoDBv2.Model;
using SwfServerless.Core;
using SwfServerless.Storage.DynamoDb;

namespace SwfServerless.Storage.Registry;

/// <summary>The one mapping between domain and type records and their DynamoDB items.</summary>
internal static class RegistryItems
{
    public const string Version = "ver";

    /// <summary>A domain's or type's registration status (REGISTERED, DEPRECATED).</summary>
    public const string Status = "status";

    public static Dictionary<string, AttributeValue> ToItem(Domain d, long version)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.DomainPk(d.Name)),
            [Keys.Sk] = Attr.S(Keys.DomainSk),
            [Keys.Gsi1Pk] = Attr.S(Keys.DomainsByStatus(d.Status)),
            [Keys.Gsi1Sk] = Attr.S(d.Name),
            ["name"] = Attr.S(d.Name),
            [Status] = Attr.S(d.Status.ToWire()),
            ["retention"] = Attr.S(d.RetentionPeriodInDays),
            [Version] = Attr.N(version),
            ["tags"] = new AttributeValue
            {
                L = d.Tags.Select(t =>
                {
                    var m = new Dictionary<string, AttributeValue> { ["k"] = Attr.S(t.Key) };
                    Attr.Set(m, "v", t.Value);
                    return new AttributeValue { M = m };
                }).ToList(),
            },
        };
        Attr.Set(item, "description", d.Description);
        Attr.Set(item, "registeredAt", d.RegisteredAt);
        return item;
    }

    public static Domain ToDomain(Dictionary<string, AttributeValue> item) => new(
        Attr.Required(item, "name"),
        RegistrationStatusWire.Parse(Attr.Required(item, Status)),
        Attr.Str(item, "description"),
        Attr.Required(item, "retention"),
        item.TryGetValue("tags", out var tags) && tags.L is not null
            ? tags.L.Select(t => new ResourceTag(Attr.Required(t.M, "k"), Attr.Str(t.M, "v"))).ToList()
            : [],
        Attr.Time(item, "registeredAt"));

    public static Dictionary<string, AttributeValue> ToItem(TypeRegistration t, long version)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [Keys.Pk] = Attr.S(Keys.TypePk(t.Kind, t.Domain, t.Name, t.Version)),
            [Keys.Sk] = Attr.S(Keys.TypeSk),
            [Keys.Gsi1Pk] = Attr.S(Keys.TypesByStatus(t.Kind, t.Domain, t.Status)),
            [Keys.Gsi1Sk] = Attr.S(t.Name),
            ["kind"] = Attr.S(t.Kind.ToString()),
            ["domain"] = Attr.S(t.Domain),
            ["name"] = Attr.S(t.Name),
            ["version"] = Attr.S(t.Version),
            [Status] = Attr.S(t.Status.ToWire()),
            [Version] = Attr.N(version),
        };
        Attr.Set(item, "description", t.Description);
        Attr.Set(item, "created", t.CreationDate);
        Attr.Set(item, "deprecated", t.DeprecationDate);
        var d = t.Defaults;
        Attr.Set(item, "dTaskList", d.TaskList);
        Attr.Set(item, "dTaskPriority", d.TaskPriority);
        Attr.Set(item, "dTaskStartToClose", d.TaskStartToCloseTimeout);
        Attr.Set(item, "dExecutionStartToClose", d.ExecutionStartToCloseTimeout);
        Attr.Set(item, "dChildPolicy", d.ChildPolicy);
        Attr.Set(item, "dLambdaRole", d.LambdaRole);
        Attr.Set(item, "dHeartbeat", d.TaskHeartbeatTimeout);
        Attr.Set(item, "dScheduleToStart", d.TaskScheduleToStartTimeout);
        Attr.Set(item, "dScheduleToClose", d.TaskScheduleToCloseTimeout);
        return item;
    }

    public static TypeRegistration ToType(Dictionary<string, AttributeValue> item) => new(
        Enum.Parse<TypeKind>(Attr.Required(item, "kind")),
        Attr.Required(item, "domain"),
        Attr.Required(item, "name"),
        Attr.Required(item, "version"),
        RegistrationStatusWire.Parse(Attr.Required(item, Status)),
        Attr.Str(item, "description"),
        Attr.Time(item, "created") ?? DateTimeOffset.UnixEpoch,
        Attr.Time(item, "deprecated"),
        new TypeDefaults
        {
            TaskList = Attr.Str(item, "dTaskList"),
            TaskPriority = Attr.Str(item, "dTaskPriority"),
            TaskStartToCloseTimeout = Attr.Str(item, "dTaskStartToClose"),
            ExecutionStartToCloseTimeout = Attr.Str(item, "dExecutionStartToClose"),
            ChildPolicy = Attr.Str(item, "dChildPolicy"),
            LambdaRole = Attr.Str(item, "dLambdaRole"),
            TaskHeartbeatTimeout = Attr.Str(item, "dHeartbeat"),
            TaskScheduleToStartTimeout = Attr.Str(item, "dScheduleToStart"),
            TaskScheduleToCloseTimeout = Attr.Str(item, "dScheduleToClose"),
        });
}
