using System.IO.Pipes;
using System.Runtime.InteropServices;
using RoleMap.Cli;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Cli;

/// <summary>
/// rolemap writes standard output and error through its own stream instead of System.Console's; these hold it to what
/// the console streams did: every byte once and in order however the kernel splits writes, a non-blocking descriptor
/// waited on, a reader that went away ending the output silently, and any other failure reported.
/// </summary>
public sealed partial class StandardOutputTests
{
    private const int FGetFlags = 3;
    private const int FSetFlags = 4;
    private const int NonBlocking = 0x800; // O_NONBLOCK on Linux x64 and arm64

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Every_byte_arrives_once_and_in_order_through_a_slow_reader(bool nonBlocking)
    {
        // 4 MiB through a 64 KiB pipe whose reader takes small bites: the kernel takes part of most writes, and a
        // non-blocking write end refuses many of them until the reader has made room.
        var data = new byte[4 << 20];
        new Random(17).NextBytes(data);
        using var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        var writeEnd = (int)pipe.ClientSafePipeHandle.DangerousGetHandle();
        if (nonBlocking)
        {
            Assert.NotEqual(-1, SetFlags(writeEnd, FSetFlags, GetFlags(writeEnd, FGetFlags, 0) | NonBlocking));
        }

        var reader = Task.Run(() =>
        {
            var received = new MemoryStream();
            var bite = new byte[7919];
            int read;
            while ((read = pipe.Read(bite, 0, bite.Length)) > 0)
            {
                received.Write(bite, 0, read);
            }

            return received.ToArray();
        });
        using (var stream = new StandardOutputStream(writeEnd))
        {
            stream.Write(data, 0, 1000);
            stream.Write(data.AsSpan(1000));
        }

        pipe.DisposeLocalCopyOfClientHandle(); // the reader sees the end
        Assert.True((await reader).AsSpan().SequenceEqual(data), "the bytes read differ from the bytes written");
    }

    [Fact]
    public void A_reader_that_went_away_ends_the_output_silently()
    {
        var pipe = new AnonymousPipeServerStream(PipeDirection.In);
        var writeEnd = (int)pipe.ClientSafePipeHandle.DangerousGetHandle();
        pipe.Dispose(); // closes the read end; the write end stays open until the handle is released
        try
        {
            using var stream = new StandardOutputStream(writeEnd);
            stream.Write(new byte[100_000]);
            stream.Write("more"u8);
        }
        finally
        {
            pipe.ClientSafePipeHandle.Dispose();
        }
    }

    [Fact]
    public void The_command_line_writes_through_it_on_linux()
    {
        // What the tests above hold it to is only worth anything if the CLI's own output and error go through it.
        Assert.True(OperatingSystem.IsLinux(), "these tests assume Linux, where rolemap writes through StandardOutputStream");
        var io = CliIO.FromConsole();
        Assert.IsType<StandardOutputStream>(Assert.IsType<StreamWriter>(io.Out).BaseStream);
        Assert.IsType<StandardOutputStream>(Assert.IsType<StreamWriter>(io.Error).BaseStream);
    }

    [Fact]
    public void Any_other_failure_is_reported()
    {
        using var stream = new StandardOutputStream(-1);
        var error = Assert.Throws<StandardStreamException>(() => stream.Write("x"u8));
        Assert.Equal(9, error.HResult); // EBADF
        Assert.Equal("cannot write standard output: Bad file descriptor", error.Message);
    }

    [Fact]
    public async Task The_command_exits_0_with_nothing_on_stderr_when_its_reader_has_gone()
    {
        // As 'rolemap generate | head -1' where head has exited: the output has nowhere to go, the command succeeds.
        var run = await TestSupport.Cli.RunProcessScript("{ sleep 0.3; \"$0\" \"$1\" generate examples/api-backend/spec.yaml 2>/tmp/rolemap-epipe-$$; echo \"exit $?\" >&2; cat /tmp/rolemap-epipe-$$ >&2; rm -f /tmp/rolemap-epipe-$$; } | true");
        Assert.Equal(string.Empty, run.Stdout);
        Assert.Equal("exit 0\n", run.Stderr);
    }

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int GetFlags(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int SetFlags(int descriptor, int command, int argument);
}
