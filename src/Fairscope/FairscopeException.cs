namespace Fairscope;

/// <summary>
/// A problem with the user's input or environment (a malformed file, an unreachable endpoint, a locked
/// store). The CLI prints <see cref="Exception.Message"/> as one line and exits with code 2; the message
/// must name the file, line or field at fault and say what would fix it.
/// </summary>
public class FairscopeException(string message, Exception? inner = null) : Exception(message, inner);
