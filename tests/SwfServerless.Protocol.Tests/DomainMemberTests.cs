using SwfServerless.Core.Security;
using SwfServerless.Protocol.Validation;

namespace SwfServerless.Protocol.Tests;

/// <summary>Access control reads a request's domain from one member per action: every operation names it, and requires it.</summary>
public sealed class DomainMemberTests
{
    public static TheoryData<string> Operations => new(SwfShapes.Operations.Keys);

    [Theory]
    [MemberData(nameof(Operations))]
    public void EveryOperation_NamesItsDomainInARequiredMember_ButListDomains(string action)
    {
        var member = DomainRoles.DomainMember(action);
        if (action == "ListDomains")
        {
            Assert.Null(member);
            return;
        }

        var input = Assert.IsType<StructureShape>(SwfShapes.All[SwfShapes.Operations[action].Input]);
        Assert.Contains(input.Members, m => m.Name == member && m.Required);
    }

    [Fact]
    public void EveryAction_IsInOneOfTheRoles_OrAccountLevel()
    {
        var covered = DomainRoles.AccountActions.Concat(DomainRoles.ByName.Values.SelectMany(r => r)).ToHashSet();
        Assert.Equal([], SwfShapes.Operations.Keys.Where(a => !covered.Contains(a)).Order(StringComparer.Ordinal));
    }
}
