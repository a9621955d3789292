using System.Numerics;

namespace Fairscope;

/// <summary>
/// Multinomial logistic regression (softmax) with an L2 penalty on the weights, fitted full-batch by L-BFGS (Nocedal &amp;
/// Wright 2006, alg. 7.4–7.5) on features standardised with the training rows' mean and standard deviation. It minimises
/// <c>(1/n) Σ_i −log softmax(W x_i + b)[y_i] + (λ/2) ‖W‖²</c>; the bias is not penalised. Rows are summed in fixed
/// chunks, in order, so a fit is bit-for-bit repeatable whatever the thread count.
/// </summary>
public sealed class LogisticRegression
{
    private const int Chunk = 256, Memory = 10;
    private readonly double[] _mean, _scale, _theta;
    private readonly int _classes;

    private LogisticRegression(double[] mean, double[] scale, double[] theta, int classes) =>
        (_mean, _scale, _theta, _classes) = (mean, scale, theta, classes);

    /// <summary>Fits <paramref name="rows"/> (all of one length) to <paramref name="labels"/> in [0, <paramref name="classes"/>)
    /// with penalty <paramref name="l2"/> (λ), stopping after <paramref name="maxIterations"/> L-BFGS steps or on convergence.</summary>
    public static LogisticRegression Fit(IReadOnlyList<double[]> rows, IReadOnlyList<int> labels, int classes, double l2, int maxIterations = 200)
    {
        var d = rows[0].Length;
        var (mean, scale) = Standardisation(rows, d);
        var x = rows.Select(r => Standardise(r, mean, scale)).ToArray();
        var y = labels.ToArray();
        var theta = Minimise((t, g) => LossAndGradient(t, x, y, classes, l2, g), new double[classes * (d + 1)], maxIterations);
        return new LogisticRegression(mean, scale, theta, classes);
    }

    /// <summary>The most probable class of <paramref name="row"/> (ties go to the lower index).</summary>
    public int Predict(double[] row)
    {
        var x = Standardise(row, _mean, _scale);
        var logits = new double[_classes];
        Logits(_theta, x, logits);
        var best = 0;
        for (var k = 1; k < _classes; k++) if (logits[k] > logits[best]) best = k;
        return best;
    }

    private static (double[] Mean, double[] Scale) Standardisation(IReadOnlyList<double[]> rows, int d)
    {
        var mean = new double[d];
        var scale = new double[d];
        foreach (var r in rows) for (var j = 0; j < d; j++) mean[j] += r[j];
        for (var j = 0; j < d; j++) mean[j] /= rows.Count;
        foreach (var r in rows) for (var j = 0; j < d; j++) scale[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
        // A constant feature carries nothing; leave it centred at 0 rather than divide by 0.
        for (var j = 0; j < d; j++) scale[j] = scale[j] > 0 ? Math.Sqrt(scale[j] / rows.Count) : 1;
        return (mean, scale);
    }

    private static double[] Standardise(double[] row, double[] mean, double[] scale)
    {
        var x = new double[row.Length];
        for (var j = 0; j < x.Length; j++) x[j] = (row[j] - mean[j]) / scale[j];
        return x;
    }

    // θ holds, per class k, the weights W_k (d entries) then the bias b_k.
    private static void Logits(double[] theta, double[] x, double[] logits)
    {
        var stride = x.Length + 1;
        for (var k = 0; k < logits.Length; k++)
            logits[k] = Dot(theta.AsSpan(k * stride, x.Length), x) + theta[k * stride + x.Length];
    }

    private static double LossAndGradient(double[] theta, double[][] x, int[] y, int classes, double l2, double[] gradient)
    {
        var d = x[0].Length;
        var chunks = (x.Length + Chunk - 1) / Chunk;
        var losses = new double[chunks];
        var partial = new double[chunks][];
        Parallel.For(0, chunks, c =>
        {
            var g = partial[c] = new double[theta.Length];
            var p = new double[classes];
            for (var i = c * Chunk; i < Math.Min(x.Length, (c + 1) * Chunk); i++)
            {
                Logits(theta, x[i], p);
                var max = p.Max();
                double sum = 0;
                for (var k = 0; k < classes; k++) sum += p[k] = Math.Exp(p[k] - max);
                losses[c] -= Math.Log(p[y[i]] / sum);
                for (var k = 0; k < classes; k++)
                {
                    var residual = p[k] / sum - (k == y[i] ? 1 : 0);
                    Axpy(residual, x[i], g.AsSpan(k * (d + 1), d));
                    g[k * (d + 1) + d] += residual;
                }
            }
        });
        Array.Clear(gradient);
        double loss = 0;
        for (var c = 0; c < chunks; c++)
        {
            loss += losses[c];
            for (var j = 0; j < gradient.Length; j++) gradient[j] += partial[c][j];
        }
        loss /= x.Length;
        for (var j = 0; j < gradient.Length; j++)
        {
            gradient[j] /= x.Length;
            if (j % (d + 1) != d) { gradient[j] += l2 * theta[j]; loss += l2 / 2 * theta[j] * theta[j]; }
        }
        return loss;
    }

    // L-BFGS with the two-loop recursion and a backtracking (Armijo) line search.
    private static double[] Minimise(Func<double[], double[], double> f, double[] x, int maxIterations)
    {
        var n = x.Length;
        var g = new double[n];
        var loss = f(x, g);
        var s = new List<double[]>();
        var yv = new List<double[]>();
        var rho = new List<double>();
        for (var iteration = 0; iteration < maxIterations && MaxAbs(g) > 1e-8; iteration++)
        {
            var direction = g.Select(v => -v).ToArray();
            var alpha = new double[s.Count];
            for (var i = s.Count - 1; i >= 0; i--) { alpha[i] = rho[i] * Dot(s[i], direction); Axpy(-alpha[i], yv[i], direction); }
            if (s.Count > 0)
            {
                var gamma = Dot(s[^1], yv[^1]) / Dot(yv[^1], yv[^1]);
                for (var j = 0; j < n; j++) direction[j] *= gamma;
            }
            for (var i = 0; i < s.Count; i++) Axpy(alpha[i] - rho[i] * Dot(yv[i], direction), s[i], direction);
            var slope = Dot(g, direction);
            if (slope >= 0) { direction = g.Select(v => -v).ToArray(); slope = Dot(g, direction); s.Clear(); yv.Clear(); rho.Clear(); }

            // The first step has no curvature yet: scale it to unit length.
            var step = s.Count == 0 ? Math.Min(1, 1 / Math.Sqrt(-slope)) : 1;
            var next = new double[n];
            var nextGradient = new double[n];
            double nextLoss;
            while (true)
            {
                for (var j = 0; j < n; j++) next[j] = x[j] + step * direction[j];
                nextLoss = f(next, nextGradient);
                if (nextLoss <= loss + 1e-4 * step * slope || step < 1e-12) break;
                step /= 2;
            }
            var sk = new double[n];
            var yk = new double[n];
            for (var j = 0; j < n; j++) { sk[j] = next[j] - x[j]; yk[j] = nextGradient[j] - g[j]; }
            var sy = Dot(sk, yk);
            var converged = loss - nextLoss <= 1e-12 * Math.Max(1, Math.Abs(loss));
            (x, g, loss) = (next, nextGradient, nextLoss);
            if (converged) break;
            if (sy <= 1e-12) continue; // no usable curvature: keep the old pairs
            if (s.Count == Memory) { s.RemoveAt(0); yv.RemoveAt(0); rho.RemoveAt(0); }
            s.Add(sk); yv.Add(yk); rho.Add(1 / sy);
        }
        return x;
    }

    private static double MaxAbs(double[] v) => v.Max(Math.Abs);

    private static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var i = 0;
        var acc = Vector<double>.Zero;
        for (; i <= a.Length - Vector<double>.Count; i += Vector<double>.Count)
            acc += new Vector<double>(a[i..]) * new Vector<double>(b[i..]);
        var sum = Vector.Sum(acc);
        for (; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }

    // target += a · x
    private static void Axpy(double a, ReadOnlySpan<double> x, Span<double> target)
    {
        var i = 0;
        var va = new Vector<double>(a);
        for (; i <= x.Length - Vector<double>.Count; i += Vector<double>.Count)
            (new Vector<double>(target[i..]) + va * new Vector<double>(x[i..])).CopyTo(target[i..]);
        for (; i < x.Length; i++) target[i] += a * x[i];
    }
}
