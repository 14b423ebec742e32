using Platform.Sigma.Correlation;

namespace Platform.Sigma.Tests;

/// <summary>A window's rows in chunks read, insert and drop as one list would, across chunk boundaries.</summary>
public sealed class Window_rows
{
    [Fact]
    public void Rows_added_in_their_place_and_dropped_from_the_front_read_back_as_a_list_of_them_would()
    {
        var random = new Random(16);
        var rows = new WindowRows();
        var expected = new List<WindowRow>();
        var next = 0L;
        var largest = 0;
        for (var step = 0; step < 20_000; step++)
        {
            var roll = random.Next(100);
            if (roll < 80)
            {
                // Mostly at the end; a late one anywhere; now and then at the very front.
                var index = roll < 60 ? expected.Count : roll < 78 ? random.Next(expected.Count + 1) : 0;
                var row = new WindowRow(next++, 0, "rule", WindowEventId.Of(Guid.NewGuid().ToString()), null, double.NaN);
                rows.Insert(index, row);
                expected.Insert(index, row);
            }
            else
            {
                // A few at a time while the window grows past three chunks; then now and then up to two chunks at once.
                var most = step < 12_000 || roll < 99 ? 3 : WindowRows.ChunkSize * 2;
                var drop = random.Next(Math.Min(expected.Count, most) + 1);
                rows.RemoveFirst(drop);
                expected.RemoveRange(0, drop);
            }

            largest = Math.Max(largest, expected.Count);
            Assert.Equal(expected.Count, rows.Count);
            if (step % 97 == 0)
            {
                Assert.Equal(expected, Enumerable.Range(0, rows.Count).Select(i => rows[i]));
            }
        }

        Assert.True(largest > WindowRows.ChunkSize * 3, $"the window grew to {largest} rows");
        Assert.Equal(expected, Enumerable.Range(0, rows.Count).Select(i => rows[i]));
    }

    [Fact]
    public void An_index_past_the_end_is_refused()
    {
        var rows = new WindowRows();

        Assert.Throws<ArgumentOutOfRangeException>(() => rows.Insert(1, default));
        Assert.Throws<ArgumentOutOfRangeException>(() => rows.RemoveFirst(1));
    }
}
