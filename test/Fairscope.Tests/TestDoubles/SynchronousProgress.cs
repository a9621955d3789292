namespace Fairscope.Tests;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler at once, on the reporting thread
/// (<see cref="Progress{T}"/> posts to a synchronisation context, so its reports can arrive late).</summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    public void Report(T value) => handler(value);
}
