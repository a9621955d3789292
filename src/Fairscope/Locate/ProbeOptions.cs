namespace Fairscope;

/// <summary>Settings of <see cref="LinearProbe"/>: the held-out share of each class, the L2 penalty λ, the seed of the
/// split and of the bootstrap, and the L-BFGS iteration limit.</summary>
public sealed record ProbeOptions(double HeldOut = 0.25, double L2 = 1e-3, int Seed = 0, int MaxIterations = 200)
{
    /// <summary>Throws a one-line error naming the option at fault.</summary>
    public void Validate()
    {
        if (!(HeldOut > 0 && HeldOut < 1)) throw new FairscopeException($"--held-out {HeldOut}: give a share strictly between 0 and 1 (e.g. 0.25)");
        if (!(L2 >= 0) || !double.IsFinite(L2)) throw new FairscopeException($"--l2 {L2}: give a finite penalty ≥ 0 (e.g. 1e-3)");
        if (MaxIterations < 1) throw new FairscopeException($"max iterations {MaxIterations}: give at least 1");
    }
}
