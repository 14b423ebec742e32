namespace Platform.Benchmarks;

/// <summary>
/// The servers the platform runs on (Postgres, RabbitMQ, kinesalite, s3rver), whose CPU the bench reports beside the
/// services': <c>./platform bench</c> names them in <c>PLATFORM_BENCH_SERVERS</c> (<c>postgres=PID rabbitmq=PID ...</c>,
/// each the root of the server's process tree). Read from /proc.
/// </summary>
internal sealed class BenchServers(IReadOnlyList<(string Name, int Root)> servers)
{
    public const string Variable = "PLATFORM_BENCH_SERVERS";

    private const double TicksPerSecond = 100;

    public IReadOnlyList<string> Names => [.. servers.Select(s => s.Name)];

    /// <summary>The servers named in <see cref="Variable"/>; none when it is not set (the driver run by hand).</summary>
    public static BenchServers FromEnvironment() => new([..
        (Environment.GetEnvironmentVariable(Variable) ?? "")
        .Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(entry => entry.Split('=', 2))
        .Where(parts => parts.Length == 2 && int.TryParse(parts[1], CultureInfo.InvariantCulture, out _))
        .Select(parts => (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture)))]);

    /// <summary>
    /// Each server's CPU seconds so far: every live process of its tree, and the children they have reaped (a Postgres
    /// backend that ended). RSS is left at 0: the servers' processes share memory, so a sum would count it many times.
    /// </summary>
    public ServiceUsage[] Usage()
    {
        var processes = Processes();
        var children = processes.Values.ToLookup(p => p.Parent, p => p.Pid);
        return [.. servers.Select(server =>
        {
            long ticks = 0;
            var pending = new Stack<int>([server.Root]);
            while (pending.TryPop(out var pid))
            {
                if (processes.TryGetValue(pid, out var process))
                {
                    ticks += process.Cpu + process.ReapedCpu;
                }

                foreach (var child in children[pid])
                {
                    pending.Push(child);
                }
            }

            return new ServiceUsage(ticks / TicksPerSecond, 0);
        })];
    }

    private static Dictionary<int, (int Pid, int Parent, long Cpu, long ReapedCpu)> Processes()
    {
        var processes = new Dictionary<int, (int, int, long, long)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // After "pid (comm) ": state, ppid, ... utime (14), stime (15), cutime (16), cstime (17).
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
                processes[pid] = (pid, (int)Field(4), Field(14) + Field(15), Field(16) + Field(17));
            }
            catch (IOException)
            {
                // The process ended while it was read.
            }
        }

        return processes;
    }
}
