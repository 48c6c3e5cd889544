using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using SwfServerless.Functions.Operator;
using SwfServerless.Integration.Tests.Support;
using SwfServerless.Protocol.Endpoint;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Integration.Tests.Operator;

/// <summary>
/// The extension API's handlers against its model (clients/models/swfserverless): every operation of the model has a
/// handler and every handler an operation, and each handler's input and output records are the model's shapes, member
/// by member (names, nesting, lists, and no required member nullable), so the records cannot drift from the file
/// clients are given.
/// </summary>
[Collection(DynamoDbCollection.Name)]
public sealed class OperatorApiMatchesModelTests(DynamoDbFixture db)
{
    private async Task<IReadOnlyList<OperationHandler>> HandlersAsync() => [.. OperatorApi.Operations(await db.NewServicesAsync())];

    [Fact]
    public async Task EveryOperationOfTheModel_HasAHandler_AndEveryHandlerAnOperation()
    {
        var handlers = await HandlersAsync();

        Assert.Equal(
            OperatorShapes.Operations.Keys.Select(OperatorApi.Action).Order(StringComparer.Ordinal),
            handlers.Select(h => h.Action).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task EveryHandlersRecords_AreItsOperationsShapes()
    {
        var problems = new List<string>();
        foreach (var handler in await HandlersAsync())
        {
            var operation = OperatorShapes.Operations[handler.Action[SwfEndpoint.OperatorTargetPrefix.Length..]];
            Compare(handler.Input, operation.Input, handler.Action + " input", problems, writes: false);
            if ((handler.Output is null) != (operation.Output is null))
            {
                problems.Add($"{handler.Action}: output is {handler.Output?.Type.Name ?? "empty"}, the model says {operation.Output ?? "empty"}");
            }
            else if (handler.Output is not null)
            {
                Compare(handler.Output, operation.Output!, handler.Action + " output", problems, writes: true);
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void TheComparison_ReportsARecordThatDrifted()
    {
        var problems = new List<string>();

        Compare(Protocol.Json.OperatorJsonContext.Default.DescribeClosureInput, "Closure", "x", problems, writes: false);

        Assert.Contains(problems, p => p.Contains("property 'domain' of DescribeClosureInput", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("member 'executionStatus' has no property", StringComparison.Ordinal));
    }

    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Compares a record (as its serializer sees it) with a model shape, recursively.</summary>
    private static void Compare(JsonTypeInfo info, string shapeName, string where, List<string> problems, bool writes)
    {
        var shape = OperatorShapes.All[shapeName];
        switch (shape)
        {
            case StructureShape s:
                if (info.Kind != JsonTypeInfoKind.Object)
                {
                    problems.Add($"{where}: {info.Type.Name} is no object, the model says structure {shapeName}");
                    return;
                }

                var properties = info.Properties.ToDictionary(p => p.Name, StringComparer.Ordinal);
                foreach (var member in s.Members)
                {
                    if (!properties.Remove(member.Name, out var property))
                    {
                        problems.Add($"{where}: member '{member.Name}' has no property in {info.Type.Name}");
                        continue;
                    }

                    var nullable = property.PropertyType.IsValueType
                        ? Nullable.GetUnderlyingType(property.PropertyType) is not null
                        : property.AttributeProvider is PropertyInfo pi && Nullability.Create(pi).ReadState != NullabilityState.NotNull;
                    if (member.Required && nullable)
                    {
                        problems.Add($"{where}: required member '{member.Name}' is nullable in {info.Type.Name}");
                    }

                    // A record may hold an optional member it always answers (a bool), never the reverse.
                    if (!member.Required && !nullable && !writes)
                    {
                        problems.Add($"{where}: optional member '{member.Name}' cannot be absent in {info.Type.Name}");
                    }

                    Compare(info.Options.GetTypeInfo(property.PropertyType), member.Shape, $"{where}.{member.Name}", problems, writes);
                }

                foreach (var extra in properties.Keys)
                {
                    problems.Add($"{where}: property '{extra}' of {info.Type.Name} is not in the model's {shapeName}");
                }

                break;

            case ListShape l when info.Kind == JsonTypeInfoKind.Enumerable:
                Compare(info.Options.GetTypeInfo(info.ElementType!), l.Member, where + ".member", problems, writes);
                break;

            case ListShape:
                problems.Add($"{where}: {info.Type.Name} is no list, the model says {shapeName}");
                break;

            default:
                var type = Nullable.GetUnderlyingType(info.Type) ?? info.Type;
                var fits = shape switch
                {
                    StringShape => type == typeof(string),
                    IntegerShape => type == typeof(int) || type == typeof(long),
                    BooleanShape => type == typeof(bool),
                    TimestampShape => type == typeof(DateTimeOffset),
                    _ => false,
                };
                if (!fits)
                {
                    problems.Add($"{where}: {type.Name} does not hold {shape.GetType().Name} {shapeName}");
                }

                break;
        }
    }
}
