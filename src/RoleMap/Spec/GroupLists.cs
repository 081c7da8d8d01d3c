using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RoleMap.Spec;

/// <summary>
/// One array per distinct list of group names read from a spec or query: teams put the same groups on many principals,
/// so a list is kept once and shared by every principal that has it (the lists are read-only from then on). Bounded, so
/// that a spec of unique lists does not keep a dictionary as large as itself; past the bound each list is its own array.
/// </summary>
internal sealed class GroupLists
{
    private const int MaxLists = 1 << 16;

    private readonly Dictionary<string[], string[]> lists = new(Comparer.Instance);
    private readonly Dictionary<string[], string[]>.AlternateLookup<ReadOnlySpan<string>> lookup;

    // The list being read (Clear, Add, then Take).
    private readonly List<string> pending = [];

    public GroupLists() => lookup = lists.GetAlternateLookup<ReadOnlySpan<string>>();

    /// <summary>Starts a new list.</summary>
    public void Clear() => pending.Clear();

    public void Add(string group) => pending.Add(group);

    /// <summary>The shared array holding the groups added since <see cref="Clear"/>.</summary>
    public IReadOnlyList<string> Take()
    {
        var groups = CollectionsMarshal.AsSpan(pending);
        if (groups.IsEmpty)
        {
            return [];
        }

        if (lookup.TryGetValue(groups, out var known))
        {
            return known;
        }

        var list = groups.ToArray();
        if (lists.Count < MaxLists)
        {
            lists.Add(list, list);
        }

        return list;
    }

    // Lists of the same string objects: the readers give one string per distinct group name (up to their bounds), and
    // hashing references is cheaper than hashing text for every list. Equal lists of other strings are kept apart.
    private sealed class Comparer : IEqualityComparer<string[]>, IAlternateEqualityComparer<ReadOnlySpan<string>, string[]>
    {
        public static readonly Comparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && Equals(x.AsSpan(), y);

        public int GetHashCode(string[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<string> alternate, string[] other)
        {
            if (alternate.Length != other.Length)
            {
                return false;
            }

            for (var i = 0; i < alternate.Length; i++)
            {
                if (!ReferenceEquals(alternate[i], other[i]))
                {
                    return false;
                }
            }

            return true;
        }

        public int GetHashCode(ReadOnlySpan<string> alternate)
        {
            var hash = new HashCode();
            foreach (var group in alternate)
            {
                hash.Add(RuntimeHelpers.GetHashCode(group));
            }

            return hash.ToHashCode();
        }

        public string[] Create(ReadOnlySpan<string> alternate) => alternate.ToArray();
    }
}
