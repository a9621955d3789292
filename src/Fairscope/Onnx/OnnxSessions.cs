using Microsoft.ML.OnnxRuntime;

namespace Fairscope;

/// <summary>
/// Creates ONNX Runtime sessions the way Fairscope's annotators run them: full graph optimisation (which fuses
/// Conv + BatchNormalization + Clip), sequential execution, a fixed number of intra-op threads and no spinning
/// (spinning threads steal the shared cores from the annotators running beside them). docs/benchmarks.md has the
/// thread counts measured.
/// </summary>
internal static class OnnxSessions
{
    /// <summary>A session over a serialised model; <paramref name="what"/> names it (a file) in the error.</summary>
    public static InferenceSession Create(byte[] model, int intraOpThreads, string what)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = intraOpThreads,
            InterOpNumThreads = 1,
        };
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        try { return new InferenceSession(model, options); }
        catch (OnnxRuntimeException e)
        {
            throw new FairscopeException($"{what}: ONNX Runtime cannot load the model ({e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>Runs <paramref name="session"/> on one input. The RunOptions live in a variable until the run returns:
    /// passed as <c>new RunOptions()</c>, the object is unreachable during the native call and its finaliser can free the
    /// handle mid-run (a segmentation fault seen with concurrent runs).</summary>
    public static IDisposableReadOnlyCollection<OrtValue> Run(InferenceSession session, string input, OrtValue value, IReadOnlyCollection<string> outputs)
    {
        using var options = new RunOptions();
        return session.Run(options, [input], [value], outputs);
    }
}
