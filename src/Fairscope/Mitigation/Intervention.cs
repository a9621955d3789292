namespace Fairscope;

/// <summary>An inference-time intervention of <see cref="FairPromptingChatClient"/> and <see cref="FairPromptingImageGenerator"/>
/// (see docs/interventions.md).</summary>
public enum Intervention
{
    /// <summary>Attribute-balanced prompt expansion: each sample's prompt names a demographic spec (<see cref="BalancedAssignment"/>).</summary>
    Balanced,

    /// <summary>An ethical-intervention instruction: a system message for chat, a clause appended to an image prompt.</summary>
    Ethical,

    /// <summary>Self-debiasing (chat only): a draft, then the model's own revision of it for stereotypes; two requests.</summary>
    SelfDebias,
}
