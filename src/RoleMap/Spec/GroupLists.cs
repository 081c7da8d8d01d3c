using RoleMap.Rbac;

namespace RoleMap.Spec;

/// <summary>
/// Reads lists of group names into one array per distinct list (<see cref="RbacLoader.StringLists"/>): teams put the
/// same groups on many principals, and the readers give one string per group name, so a list is kept once and shared
/// by every principal that has it (nothing changes a principal's groups once read).
/// </summary>
internal sealed class GroupLists
{
    private readonly RbacLoader.StringLists lists = new();

    // The list being read (Clear, Add, then Take).
    private readonly List<string> pending = [];

    /// <summary>Starts a new list.</summary>
    public void Clear() => pending.Clear();

    public void Add(string group) => pending.Add(group);

    /// <summary>The shared array holding the groups added since <see cref="Clear"/>.</summary>
    public string[] Take() => lists.Intern(pending);
}
