using System.Globalization;
using PuppeteerSharp;

namespace RoleMap.Bench;

/// <summary>
/// <c>paint CHROMIUM PAGE [RUNS]</c>: opens the page in headless Chromium through the DevTools protocol, once per run in
/// a fresh browser, and prints the page's own paint timings (milliseconds from navigation start, as the browser's
/// Paint Timing API records them): first paint, first contentful paint and the end of the load event. Chromium's own
/// start is not in them, unlike the command-line screenshot timing.
/// </summary>
internal static class PaintTiming
{
    private const string Timings =
        "(() => { const p = n => (performance.getEntriesByName(n)[0] || { startTime: -1 }).startTime;" +
        " const nav = performance.getEntriesByType('navigation')[0];" +
        " return [p('first-paint'), p('first-contentful-paint'), nav ? nav.loadEventEnd : -1]; })()";

    public static async Task<int> RunAsync(string[] args)
    {
        var chromium = args[1];
        var url = new Uri(Path.GetFullPath(args[2])).AbsoluteUri;
        var runs = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1;
        Console.WriteLine("first-paint-ms\tfirst-contentful-paint-ms\tload-event-end-ms");
        for (var run = 0; run < runs; run++)
        {
            var options = new LaunchOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900"],
                Timeout = 120_000,
            };
            await using var browser = await Puppeteer.LaunchAsync(options).ConfigureAwait(false);
            await using var page = await browser.NewPageAsync().ConfigureAwait(false);
            page.DefaultTimeout = 120_000;
            await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 }).ConfigureAwait(false);
            await page.GoToAsync(url, WaitUntilNavigation.Load).ConfigureAwait(false);
            // Paint entries are recorded after the frame is presented: give the compositor a frame.
            await page.EvaluateExpressionAsync("new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)))").ConfigureAwait(false);
            var timings = await page.EvaluateExpressionAsync<double[]>(Timings).ConfigureAwait(false);
            Console.WriteLine(string.Join('\t', timings.Select(t => t.ToString("F1", CultureInfo.InvariantCulture))));
        }

        return 0;
    }
}
