namespace RoleMap.Bench.Inputs;

/// <summary>
/// SplitMix64: a tiny seeded generator whose sequence is fixed by its definition, so the same seed gives the same
/// inputs on every machine and .NET version (System.Random's seeded sequence is not a documented contract).
/// </summary>
internal sealed class SplitMix(ulong seed)
{
    private ulong state = seed;

    public ulong Next()
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A number in [0, bound).</summary>
    public int Below(int bound) => (int)(Next() % (ulong)bound);

    public T Pick<T>(IReadOnlyList<T> items) => items[Below(items.Count)];

    public bool Chance(int percent) => Below(100) < percent;

    public string Hex(int digits)
    {
        const string alphabet = "0123456789abcdef";
        var chars = new char[digits];
        for (var i = 0; i < digits; i++)
        {
            chars[i] = alphabet[Below(16)];
        }

        return new string(chars);
    }
}
