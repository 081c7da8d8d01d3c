using System.Runtime.InteropServices;

namespace RoleMap.Cli;

/// <summary>
/// Standard output or error on Linux as System.Console's streams write it, without System.Console: its first write
/// creates <c>Console.Out</c> and sets up terminal and signal handling, about a tenth of a short command's CPU time
/// (docs/benchmarks.md, "Start-up: where the time goes"), which a command that only writes bytes does not need.
/// Kept from the console streams: every byte is written once however the kernel splits the writes, a descriptor
/// another process left non-blocking is waited on rather than failed, and a reader that went away (<c>rolemap generate
/// | head -1</c>) ends the output silently instead of failing the command.
/// </summary>
internal sealed partial class StandardOutputStream : Stream
{
    // Linux's errno values (the same on x64 and arm64).
    private const int EINTR = 4;
    private const int EAGAIN = 11;
    private const int EPIPE = 32;
    private const short POLLOUT = 4;

    private readonly int descriptor;
    private bool readerGone;

    public StandardOutputStream(int descriptor)
    {
        this.descriptor = descriptor;
    }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override unsafe void Write(ReadOnlySpan<byte> buffer)
    {
        fixed (byte* start = buffer)
        {
            var done = 0;
            while (done < buffer.Length && !readerGone)
            {
                var written = SystemWrite(descriptor, start + done, buffer.Length - done);
                if (written >= 0)
                {
                    done += (int)written;
                    continue;
                }

                switch (Marshal.GetLastPInvokeError())
                {
                    case EINTR:
                        break;
                    case EAGAIN:
                        var wait = new PollDescriptor { Descriptor = descriptor, Events = POLLOUT };
                        _ = SystemPoll(&wait, 1, -1); // an error or EINTR here only means: try the write again
                        break;
                    case EPIPE:
                        readerGone = true; // nobody reads any more: what is left has nowhere to go
                        break;
                    case var error:
                        throw new StandardStreamException("cannot write " + (descriptor == 2 ? "standard error" : "standard output") + ": " + Marshal.GetPInvokeErrorMessage(error), error);
                }
            }
        }
    }

    public override void Flush()
    {
        // Nothing is buffered here: every write goes to the descriptor.
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint SystemWrite(int descriptor, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int SystemPoll(PollDescriptor* descriptors, nuint count, int timeout);

    [StructLayout(LayoutKind.Sequential)]
    private struct PollDescriptor
    {
        public int Descriptor;
        public short Events;
        public short ReturnedEvents;
    }
}
