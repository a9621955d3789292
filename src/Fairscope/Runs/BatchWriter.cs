using System.Threading.Channels;

namespace Fairscope;

/// <summary>
/// Collects items from many concurrent producers and stores them in batches on a dedicated thread: few
/// transactions at high rates, and store writes (which block, for SQLite) never hold up a thread-pool thread that
/// request continuations need. When a write fails, <see cref="Token"/> is cancelled so producers stop, and the
/// failure surfaces from <see cref="CompleteAsync"/>.
/// </summary>
internal sealed class BatchWriter<T> : IDisposable
{
    private readonly Channel<T> _channel = Channel.CreateUnbounded<T>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop;
    private readonly Task _writer;

    /// <summary>Starts the writer; <paramref name="write"/> stores one batch of at most <paramref name="maxBatch"/> items.</summary>
    public BatchWriter(int maxBatch, Func<IReadOnlyList<T>, Task> write, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _writer = Task.Factory.StartNew(() =>
        {
            var batch = new List<T>(maxBatch);
            try
            {
                while (_channel.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
                {
                    while (batch.Count < maxBatch && _channel.Reader.TryRead(out var item)) batch.Add(item);
                    write(batch).GetAwaiter().GetResult();
                    batch.Clear();
                }
            }
            catch
            {
                _stop.Cancel();
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>Cancelled by the caller's token or by a failed write: producers should stop.</summary>
    public CancellationToken Token => _stop.Token;

    /// <summary>Queues an item; never blocks.</summary>
    public void Add(T item) => _channel.Writer.TryWrite(item);

    /// <summary>Writes what is queued and waits; rethrows a write failure.</summary>
    public async Task CompleteAsync()
    {
        _channel.Writer.TryComplete();
        await _writer;
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();
}
