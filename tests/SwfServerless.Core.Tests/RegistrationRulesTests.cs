using SwfServerless.Core.Faults;

namespace SwfServerless.Core.Tests;

public sealed class RegistrationRulesTests
{
    private static readonly Domain Registered = new("d", RegistrationStatus.Registered, null, "1", []);
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
    private static readonly TypeRegistration Type = new(TypeKind.Workflow, "d", "w", "1", RegistrationStatus.Registered, null, Now, null, new TypeDefaults());

    public static TheoryData<string, RegistrationStatus, string?> DomainTransitions => new()
    {
        // (change, from, fault or null when allowed)
        { "deprecate", RegistrationStatus.Registered, null },
        { "deprecate", RegistrationStatus.Deprecated, nameof(DomainDeprecatedFault) },
        { "undeprecate", RegistrationStatus.Deprecated, null },
        { "undeprecate", RegistrationStatus.Registered, nameof(DomainAlreadyExistsFault) },
    };

    [Theory]
    [MemberData(nameof(DomainTransitions))]
    public void Domain_Transition_AllowedOrSwfFault(string change, RegistrationStatus from, string? fault)
    {
        var domain = Registered with { Status = from };
        Func<Domain> act = change == "deprecate" ? () => RegistrationRules.Deprecate(domain) : () => RegistrationRules.Undeprecate(domain);

        if (fault is null)
        {
            Assert.NotEqual(from, act().Status);
        }
        else
        {
            Assert.Equal(fault, Assert.IsAssignableFrom<SwfFault>(Record.Exception(act)).FaultName);
        }
    }

    public static TheoryData<string, RegistrationStatus, string?> TypeTransitions => new()
    {
        { "deprecate", RegistrationStatus.Registered, null },
        { "deprecate", RegistrationStatus.Deprecated, nameof(TypeDeprecatedFault) },
        { "undeprecate", RegistrationStatus.Deprecated, null },
        { "undeprecate", RegistrationStatus.Registered, nameof(TypeAlreadyExistsFault) },
        { "delete", RegistrationStatus.Deprecated, null },
        { "delete", RegistrationStatus.Registered, nameof(TypeNotDeprecatedFault) },
    };

    [Theory]
    [MemberData(nameof(TypeTransitions))]
    public void Type_Transition_AllowedOrSwfFault(string change, RegistrationStatus from, string? fault)
    {
        var type = Type with { Status = from, DeprecationDate = from == RegistrationStatus.Deprecated ? Now : null };
        Action act = change switch
        {
            "deprecate" => () => Assert.Equal(Now, RegistrationRules.Deprecate(type, Now).DeprecationDate),
            "undeprecate" => () => Assert.Null(RegistrationRules.Undeprecate(type).DeprecationDate),
            _ => () => RegistrationRules.RequireDeletable(type),
        };

        var thrown = Record.Exception(act);
        if (fault is null)
        {
            Assert.Null(thrown);
        }
        else
        {
            Assert.Equal(fault, Assert.IsAssignableFrom<SwfFault>(thrown).FaultName);
            Assert.Contains("WorkflowType=[name=w, version=1]", thrown.Message);
        }
    }

    [Fact]
    public void Tag_ExistingKey_ReplacesValueKeepsOrder()
    {
        var tagged = RegistrationRules.Tag(Registered with { Tags = [new("a", "1"), new("b", "2")] }, [new("a", "9"), new("c", "3")]);

        Assert.Equal(["a=9", "b=2", "c=3"], tagged.Tags.Select(t => $"{t.Key}={t.Value}"));
    }

    [Fact]
    public void Tag_PastFifty_TooManyTagsFault()
    {
        var fifty = Enumerable.Range(0, 50).Select(i => new ResourceTag($"k{i}", null)).ToList();
        var full = RegistrationRules.Tag(Registered, fifty);

        Assert.Equal(50, full.Tags.Count);
        Assert.Equal(50, RegistrationRules.Tag(full, [new("k3", "replaced")]).Tags.Count);
        Assert.Throws<TooManyTagsFault>(() => RegistrationRules.Tag(full, [new("one-more", null)]));
    }

    [Fact]
    public void Untag_RemovesOnlyNamedKeys()
    {
        var untagged = RegistrationRules.Untag(Registered with { Tags = [new("a", "1"), new("b", "2")] }, ["a", "zzz"]);

        Assert.Equal(["b"], untagged.Tags.Select(t => t.Key));
    }
}
