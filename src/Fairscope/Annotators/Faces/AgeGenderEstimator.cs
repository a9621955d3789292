using Microsoft.ML.OnnxRuntime;

namespace Fairscope;

/// <summary>
/// face-api's AgeGenderNet (<c>withAgeAndGender()</c>) run by ONNX Runtime on the TF.js weights. Each face crop is
/// zero-padded to a centred square, resized to 112² with TF's legacy bilinear resize and normalised to
/// (x − mean RGB)/255, as TinyXception.forwardInput does; the faces of one image go through the network as one batch.
/// Thread-safe.
/// </summary>
public sealed class AgeGenderEstimator : IDisposable
{
    /// <summary>The network's input side (face-api: toBatchTensor(112, true)).</summary>
    public const int InputSize = 112;

    private static readonly PixelFormat Format = new(InputSize, 1, [122.782f, 117.001f, 104.298f], [255, 255, 255], Bgr: false, TensorLayout.Nchw, HalfPixelCenters: false);
    private readonly InferenceSession _session;

    internal AgeGenderEstimator(InferenceSession session, string weightsSha256) => (_session, WeightsSha256) = (session, weightsSha256);

    /// <summary>SHA-256 of the TF.js manifest and shard the network was built from.</summary>
    public string WeightsSha256 { get; }

    /// <summary>Age and gender of each face crop (see <see cref="DetectedFace.Crop"/>), in order.</summary>
    public IReadOnlyList<AgeGender> Estimate(IReadOnlyList<RgbImage> faces)
    {
        if (faces.Count == 0) return [];
        var input = new float[faces.Count * Format.Length];
        for (int i = 0; i < faces.Count; i++)
        {
            // padToSquare(isCenterImage): round(diff/2) zero rows/columns after the image, the rest before it.
            var face = faces[i];
            int diff = Math.Abs(face.Width - face.Height), before = diff - (int)FaceDetector.JsRound(diff * 0.5);
            var (left, top) = face.Width < face.Height ? (-before, 0) : (0, -before);
            Format.Write(face, left, top, Math.Max(face.Width, face.Height), input.AsSpan(i * Format.Length, Format.Length));
        }
        using var value = OrtValue.CreateTensorValueFromMemory(input, [faces.Count, 3, InputSize, InputSize]);
        using var outputs = OnnxSessions.Run(_session, "faces", value, ["age", "gender"]);
        var ages = outputs[0].GetTensorDataAsSpan<float>();
        var genders = outputs[1].GetTensorDataAsSpan<float>();
        var results = new AgeGender[faces.Count];
        for (int i = 0; i < faces.Count; i++) results[i] = new AgeGender(ages[i], genders[2 * i]);
        return results;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();
}
