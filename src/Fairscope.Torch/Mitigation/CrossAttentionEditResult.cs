namespace Fairscope;

/// <summary>How much one edited projection moved.</summary>
/// <param name="Tensor">The tensor's name in the checkpoint.</param>
/// <param name="Change">‖W' − W‖_F, with W' the float64 closed form before it is rounded to the stored dtype.</param>
/// <param name="RelativeChange">‖W' − W‖_F / ‖W‖_F (0 for an all-zero W).</param>
public sealed record ProjectionChange(string Tensor, double Change, double RelativeChange);

/// <summary>One edited cross-attention layer: its key and value projections' changes.</summary>
/// <param name="Prefix">The layer's name prefix, as <see cref="CrossAttentionLayer.Prefix"/>.</param>
public sealed record CrossAttentionLayerChange(string Prefix, ProjectionChange Key, ProjectionChange Value);

/// <summary>Reported after each layer is edited: <paramref name="Done"/> of <paramref name="Total"/> layers.</summary>
public sealed record CrossAttentionEditProgress(int Done, int Total, CrossAttentionLayerChange Layer);

/// <summary>What <see cref="CrossAttentionEditor.Edit"/> did.</summary>
/// <param name="Architecture">The model family, as <see cref="CrossAttentionLayers.Architecture"/>.</param>
/// <param name="TextWidth">The cross-attention text width.</param>
/// <param name="Layers">Every layer's change, in the order of <see cref="CrossAttentionLayers.Layers"/>.</param>
/// <param name="Output">The file written, or null for a dry run.</param>
public sealed record CrossAttentionEditResult(string Architecture, int TextWidth, IReadOnlyList<CrossAttentionLayerChange> Layers, string? Output);
