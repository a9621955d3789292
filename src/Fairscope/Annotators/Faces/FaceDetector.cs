using Microsoft.ML.OnnxRuntime;

namespace Fairscope;

/// <summary>
/// face-api's default face detector, SSD MobileNetV1 (<c>faceapi.detectAllFaces</c> with SsdMobilenetv1Options'
/// defaults), run by ONNX Runtime on the TF.js weights: the image is zero-padded to a square at the bottom/right,
/// resized to 512² with TF's legacy bilinear resize and normalised to x/127.5 − 1; boxes are decoded against the
/// model's anchors, filtered by face-api's NMS (IoU 0.5, score above 0.5, at most 100) and scaled back to the image.
/// Thread-safe: ONNX Runtime sessions run concurrently.
/// </summary>
public sealed class FaceDetector : IDisposable
{
    /// <summary>The network's input side (face-api: toBatchTensor(512, false)).</summary>
    public const int InputSize = 512;

    /// <summary>Scores above this count (SsdMobilenetv1Options.minConfidence default).</summary>
    public const double MinConfidence = 0.5;

    /// <summary>At most this many faces per image (SsdMobilenetv1Options.maxResults default).</summary>
    public const int MaxResults = 100;

    /// <summary>A box overlapping a better one by more than this IoU is dropped (fixed in face-api's locateFaces).</summary>
    public const double IouThreshold = 0.5;

    private static readonly PixelFormat Format = new(InputSize, 1 / 127.5f, [1, 1, 1], [1, 1, 1], Bgr: false, TensorLayout.Nchw, HalfPixelCenters: false);
    private readonly InferenceSession _session;

    internal FaceDetector(InferenceSession session, string weightsSha256) => (_session, WeightsSha256) = (session, weightsSha256);

    /// <summary>SHA-256 of the TF.js manifest and shard the network was built from.</summary>
    public string WeightsSha256 { get; }

    /// <summary>The faces in <paramref name="image"/>, best score first, boxes in its pixels.</summary>
    public IReadOnlyList<DetectedFace> Detect(RgbImage image)
    {
        var input = new float[Format.Length];
        Format.Write(image, 0, 0, Math.Max(image.Width, image.Height), input);
        using var value = OrtValue.CreateTensorValueFromMemory(input, [1, 3, InputSize, InputSize]);
        using var outputs = OnnxSessions.Run(_session, "image", value, ["boxes", "scores"]);
        var boxes = outputs[0].GetTensorDataAsSpan<float>();
        var scores = outputs[1].GetTensorDataAsSpan<float>();
        var kept = SsdNonMaxSuppression.Select(boxes, scores, MaxResults, IouThreshold, MinConfidence);

        // locateFaces: boxes are relative to the padded square; padX/padY make them relative to the image (computed from
        // the rounded resized size, as computeReshapedDimensions does), then ObjectDetection scales them to pixels.
        double scale = (double)InputSize / Math.Max(image.Width, image.Height);
        double padX = InputSize / JsRound(image.Width * scale), padY = InputSize / JsRound(image.Height * scale);
        var faces = new List<DetectedFace>(kept.Count);
        foreach (var i in kept)
        {
            double top = Math.Max(0, (double)boxes[4 * i]) * padY, bottom = Math.Min(1.0, (double)boxes[4 * i + 2]) * padY;
            double left = Math.Max(0, (double)boxes[4 * i + 1]) * padX, right = Math.Min(1.0, (double)boxes[4 * i + 3]) * padX;
            faces.Add(new DetectedFace(new FaceBox(left * image.Width, top * image.Height, (right - left) * image.Width, (bottom - top) * image.Height), scores[i]));
        }
        return faces;
    }

    /// <summary>Releases the ONNX Runtime session.</summary>
    public void Dispose() => _session.Dispose();

    /// <summary>JavaScript's Math.round: halves round up.</summary>
    internal static double JsRound(double value) => Math.Floor(value + 0.5);
}
