namespace BriefingBot.Core.Briefing;

/// <summary>Sparse term vectors (term → weight), as stories and their summaries compare them.</summary>
internal static class TermVectors
{
    /// <summary>Scales <paramref name="vector"/> to length 1 (a zero vector stays as it is).</summary>
    public static void Normalize(Dictionary<string, double> vector)
    {
        var norm = Math.Sqrt(vector.Values.Sum(v => v * v));
        if (norm == 0)
        {
            return;
        }

        foreach (var key in vector.Keys.ToList())
        {
            vector[key] /= norm;
        }
    }

    /// <summary>The dot product of two normalised vectors: their cosine.</summary>
    public static double Cosine(Dictionary<string, double> a, Dictionary<string, double> b)
    {
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var sum = 0.0;
        foreach (var (term, weight) in small)
        {
            if (large.TryGetValue(term, out var other))
            {
                sum += weight * other;
            }
        }

        return sum;
    }
}
