using System.Security.Cryptography;
using Microsoft.ML.OnnxRuntime;

namespace Fairscope;

/// <summary>
/// A user-supplied ONNX classifier of face crops (e.g. a FairFace export) described by its YAML sidecar
/// (<see cref="OnnxFaceClassifierSpec"/>, <c>model.yaml</c> next to <c>model.onnx</c>). The spec is checked against
/// the model's declared inputs and outputs when it is loaded. Faces of one image run as one batch unless the model's
/// batch dimension is fixed at 1. Thread-safe.
/// </summary>
public sealed class OnnxFaceClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly PixelFormat _format;
    private readonly bool _batched;

    private OnnxFaceClassifier(string modelPath, OnnxFaceClassifierSpec spec, InferenceSession session, string sha256)
    {
        (ModelPath, Spec, _session, Sha256, _format) = (modelPath, spec, session, sha256, spec.Format);
        var inputs = session.InputMetadata;
        if (inputs.Count > 1) throw new FairscopeException($"{spec.Origin}: {modelPath} has {inputs.Count} inputs; a face classifier takes one image input");
        if (!inputs.TryGetValue(spec.InputName, out var input))
            throw new FairscopeException($"{spec.Origin}: input.name '{spec.InputName}' is not an input of {modelPath} (it has {string.Join(", ", inputs.Keys)})");
        int[] expected = spec.Layout == TensorLayout.Nchw ? [-1, 3, spec.Size, spec.Size] : [-1, spec.Size, spec.Size, 3];
        if (input.ElementType != typeof(float) || input.Dimensions.Length != 4
            || input.Dimensions.Zip(expected).Skip(1).Any(d => d.First > 0 && d.First != d.Second))
            throw new FairscopeException($"{spec.Origin}: {modelPath} takes '{spec.InputName}' as {input.ElementType.Name}[{string.Join(",", input.Dimensions)}], but the sidecar describes float[N,{string.Join(",", expected.Skip(1))}] ({spec.Layout}, size {spec.Size})");
        _batched = input.Dimensions[0] != 1;
        foreach (var head in spec.Heads)
        {
            if (!session.OutputMetadata.TryGetValue(head.Output, out var output))
                throw new FairscopeException($"{spec.Origin}: head '{head.Attribute}' reads output '{head.Output}', which {modelPath} lacks (it has {string.Join(", ", session.OutputMetadata.Keys)})");
            var width = output.Dimensions.Skip(1).Aggregate(1L, (a, d) => a * d);
            if (output.ElementType != typeof(float) || (output.Dimensions.Skip(1).All(d => d > 0) && width < head.From + head.Labels.Count))
                throw new FairscopeException($"{spec.Origin}: head '{head.Attribute}' needs float values {head.From}..{head.From + head.Labels.Count - 1} of '{head.Output}', which is {output.ElementType.Name}[{string.Join(",", output.Dimensions)}]");
        }
    }

    /// <summary>The .onnx file.</summary>
    public string ModelPath { get; }

    /// <summary>The sidecar's contents.</summary>
    public OnnxFaceClassifierSpec Spec { get; }

    /// <summary>SHA-256 (hex) of the model file followed by the sidecar's text: changes whenever either does.</summary>
    public string Sha256 { get; }

    /// <summary>Loads <paramref name="modelPath"/> and the sidecar beside it (same name, extension <c>.yaml</c>); each run
    /// uses <paramref name="intraOpThreads"/> threads (0: <see cref="FaceApiModels.DefaultThreads"/>).</summary>
    public static OnnxFaceClassifier Load(string modelPath, int intraOpThreads = 0)
    {
        var model = Path.GetFullPath(modelPath);
        var sidecar = Path.ChangeExtension(model, ".yaml");
        var spec = OnnxFaceClassifierSpec.Load(sidecar);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(model); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FairscopeException($"{model}: the face classifier model is missing or unreadable ({e.Message})");
        }
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(bytes);
        hash.AppendData(System.Text.Encoding.UTF8.GetBytes(spec.Text));
        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        var session = OnnxSessions.Create(bytes, intraOpThreads > 0 ? intraOpThreads : FaceApiModels.DefaultThreads, model);
        try { return new OnnxFaceClassifier(model, spec, session, sha); }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Every head's prediction for each face of <paramref name="image"/> (outer list: faces, in order).</summary>
    public IReadOnlyList<IReadOnlyList<HeadPrediction>> Classify(RgbImage image, IReadOnlyList<FaceBox> faces)
    {
        if (!_batched && faces.Count > 1) return [.. faces.Select(f => Classify(image, [f])[0])];
        if (faces.Count == 0) return [];
        var input = new float[faces.Count * _format.Length];
        for (int i = 0; i < faces.Count; i++)
        {
            var (left, top, side) = Spec.Window(faces[i]);
            _format.Write(image, left, top, side, input.AsSpan(i * _format.Length, _format.Length));
        }
        long[] shape = Spec.Layout == TensorLayout.Nchw ? [faces.Count, 3, Spec.Size, Spec.Size] : [faces.Count, Spec.Size, Spec.Size, 3];
        using var value = OrtValue.CreateTensorValueFromMemory(input, shape);
        var names = Spec.Heads.Select(h => h.Output).Distinct().ToList();
        using var outputs = OnnxSessions.Run(_session, Spec.InputName, value, names);
        var results = new List<HeadPrediction>[faces.Count];
        for (int f = 0; f < faces.Count; f++) results[f] = [];
        foreach (var head in Spec.Heads)
        {
            var data = outputs[names.IndexOf(head.Output)].GetTensorDataAsSpan<float>();
            var width = data.Length / faces.Count;
            for (int f = 0; f < faces.Count; f++)
                results[f].Add(Predict(head, data.Slice(f * width + head.From, head.Labels.Count)));
        }
        return results;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    private static HeadPrediction Predict(OnnxClassifierHead head, ReadOnlySpan<float> values)
    {
        var best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        var probability = (double)values[best];
        if (head.Softmax)
        {
            double sum = 0;
            foreach (var v in values) sum += Math.Exp(v - values[best]);
            probability = 1 / sum;
        }
        return new HeadPrediction(head, head.Labels[best], probability);
    }
}
