using Platform.Messaging;

namespace Platform.EndToEnd.Tests;

/// <summary>
/// A live event and the catch-up (or key look-up) snapshot of the same resource can be applied at the same moment on
/// two threads. The version check and the change are one step: an older change that loses to a newer one returns only
/// once the newer one is visible, and can never land after it.
/// </summary>
public sealed class Applying_provisioned_changes_in_order
{
    [Fact]
    public async Task An_older_change_waits_until_the_newer_one_it_lost_to_is_visible()
    {
        var versions = new ProvisionedResourceVersions();
        var applied = new List<long>();
        using var newerEntered = new ManualResetEventSlim();
        using var releaseNewer = new ManualResetEventSlim();

        var newer = Task.Run(() => versions.TryApply("api-keys", "k", 2, () =>
        {
            newerEntered.Set();
            releaseNewer.Wait(TimeSpan.FromSeconds(30));
            applied.Add(2);
        }));
        Assert.True(newerEntered.Wait(TimeSpan.FromSeconds(30)));
        var older = Task.Run(() => versions.TryApply("api-keys", "k", 1, () => applied.Add(1)));

        // While the newer change is half-made, the older one must not have been answered (it would see no key yet).
        var finishedFirst = await Task.WhenAny(older, Task.Delay(TimeSpan.FromMilliseconds(300)));
        Assert.NotSame(older, finishedFirst);

        releaseNewer.Set();
        Assert.True(await newer);
        Assert.False(await older);
        Assert.Equal([2L], applied);
    }

    [Fact]
    public void A_change_at_or_below_the_applied_version_is_refused_and_a_newer_one_applied()
    {
        var versions = new ProvisionedResourceVersions();
        var applied = new List<long>();

        Assert.True(versions.TryApply("alarms", "a", 3, () => applied.Add(3)));
        Assert.False(versions.TryApply("alarms", "a", 3, () => applied.Add(-3)));
        Assert.False(versions.TryApply("alarms", "a", 1, () => applied.Add(1)));
        Assert.True(versions.TryApply("alarms", "b", 1, () => applied.Add(10)));
        Assert.True(versions.TryApply("alarms", "a", 4, () => applied.Add(4)));

        Assert.Equal([3L, 10L, 4L], applied);
    }
}
