namespace Fairscope;

/// <summary>Memory order of an image batch fed to a network.</summary>
public enum TensorLayout
{
    /// <summary>[batch, channel, row, column]: ONNX's and PyTorch's convolution layout.</summary>
    Nchw,

    /// <summary>[batch, row, column, channel]: TensorFlow's layout.</summary>
    Nhwc,
}
