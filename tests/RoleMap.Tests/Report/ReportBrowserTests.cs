using PuppeteerSharp;
using RoleMap.Tests.TestSupport;

namespace RoleMap.Tests.Report;

/// <summary>
/// The report in a real browser: Debian's Chromium, headless, driven by PuppeteerSharp. Every page must load with no
/// console error, no script error, no dialog and no request but the file itself (any other request is aborted and
/// fails the test).
/// </summary>
public class ReportBrowserTests
{
    private const string Chromium = "chromium";

    [RequiresToolFact(Chromium)]
    public async Task Ops_dev_matrix_shows_the_documented_answers()
    {
        await WithReport("ops-dev", async page =>
        {
            const string Dev = "arn:aws:iam::111122223333:role/dev";
            const string Ops = "arn:aws:iam::111122223333:role/ops";
            Assert.Equal("yes", await Cell(page, Dev, "default", "pods", "list"));
            Assert.Equal("yes", await Cell(page, Dev, "default", "pods", "update"));
            Assert.Equal("no", await Cell(page, Dev, "default", "pods", "create"));
            Assert.Equal("no", await Cell(page, Dev, "default", "pods", "delete"));
            Assert.Equal("absent", await Cell(page, Dev, "default", "secrets", "get"));
            Assert.Equal("yes", await Cell(page, Ops, "default", "secrets", "get"));
            Assert.Equal("yes", await Cell(page, Ops, "", "namespaces", "delete"));
        });
    }

    [RequiresToolFact(Chromium)]
    public async Task Api_backend_matrix_confines_each_team_to_its_namespace()
    {
        await WithReport("api-backend", async page =>
        {
            const string Api = "arn:aws:iam::111122223333:role/ApiDeveloper";
            const string Backend = "arn:aws:iam::111122223333:role/BackendDeveloper";
            Assert.Equal("yes", await Cell(page, Api, "apiteam", "deployments.apps", "create"));
            Assert.Equal("yes", await Cell(page, Api, "apiteam", "secrets", "delete"));
            Assert.Equal("absent", await Cell(page, Api, "backendteam", "pods", "get"));
            Assert.Equal("absent", await Cell(page, Api, "", "namespaces", "list"));
            Assert.Equal("yes", await Cell(page, Backend, "backendteam", "deployments.apps", "create"));
            Assert.Equal("absent", await Cell(page, Backend, "apiteam", "pods", "get"));

            // A cell's link shows its reason: the chain through the group, the RoleBinding and the Role.
            await SelectByText(page, "f-namespace", "apiteam");
            await page.EvaluateFunctionAsync(
                "(p) => [...document.querySelectorAll('#matrix-view tr')].find(t => t.dataset.p === p && t.dataset.ns === 'apiteam' && t.dataset.r === 'secrets').querySelector('td[data-v=\"delete\"] a').click()",
                Api);
            var reason = await page.EvaluateExpressionAsync<string>("document.getElementById('explain').hidden ? '' : document.getElementById('explain').textContent");
            Assert.Contains("Group apiteam", reason, StringComparison.Ordinal);
            Assert.Contains("RoleBinding apiteam/apiteam-full-access", reason, StringComparison.Ordinal);
            Assert.Contains("Role apiteam/apiteam-full-access", reason, StringComparison.Ordinal);
        });
    }

    [RequiresToolFact(Chromium)]
    public async Task Filters_change_what_the_matrix_shows()
    {
        await WithReport("api-backend", async page =>
        {
            const string Api = "arn:aws:iam::111122223333:role/ApiDeveloper";

            // The page opens on one namespace; "all" shows each row once, where it comes from.
            Assert.Equal("apiteam", await page.EvaluateExpressionAsync<string>("document.getElementById('f-namespace').selectedOptions[0].textContent"));
            await SelectByText(page, "f-namespace", "all");
            var all = await Rows(page);
            Assert.Contains(all, r => r.StartsWith(Api + "|", StringComparison.Ordinal));
            Assert.Contains(all, r => !r.StartsWith(Api + "|", StringComparison.Ordinal));

            await SelectByText(page, "f-principal", Api);
            var mine = await Rows(page);
            Assert.NotEmpty(mine);
            Assert.All(mine, r => Assert.StartsWith(Api + "|", r, StringComparison.Ordinal));

            await SelectByText(page, "f-namespace", "apiteam");
            await page.ClickAsync("#f-dangerous");
            var dangerous = await Rows(page);
            Assert.NotEmpty(dangerous);
            Assert.True(dangerous.Count < mine.Count, "dangerous only shows fewer rows");

            // Everything in apiteam comes from a '*' rule, so every row stays; a verb filter leaves one column.
            await SelectByText(page, "f-verb", "escalate");
            Assert.Equal(["escalate"], await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#matrix-view th.verb')].map(t => t.textContent)"));

            await SelectByText(page, "f-principal", "arn:aws:iam::111122223333:role/BackendDeveloper");
            Assert.Empty(await Rows(page));
            Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('matrix-empty') !== null"));
        });
    }

    [RequiresToolFact(Chromium)]
    public async Task Who_can_search_answers_from_the_embedded_data()
    {
        await WithReport("api-backend", async page =>
        {
            await SelectByText(page, "wc-verb", "create");
            await SelectByText(page, "wc-resource", "deployments.apps");
            await SelectByText(page, "wc-namespace", "apiteam");
            var apiteam = await WhoCan(page);
            Assert.Contains("arn:aws:iam::111122223333:role/ApiDeveloper", apiteam);
            Assert.DoesNotContain("arn:aws:iam::111122223333:role/BackendDeveloper", apiteam);

            await SelectByText(page, "wc-namespace", "backendteam");
            var backendteam = await WhoCan(page);
            Assert.Contains("arn:aws:iam::111122223333:role/BackendDeveloper", backendteam);
            Assert.DoesNotContain("arn:aws:iam::111122223333:role/ApiDeveloper", backendteam);

            await SelectByText(page, "wc-namespace", "default");
            Assert.Empty(await WhoCan(page));
            Assert.True(await page.EvaluateExpressionAsync<bool>("document.getElementById('wc-none') !== null"));
        });
    }

    [RequiresToolFact(Chromium)]
    public async Task Eks_access_page_renders_and_its_screenshot_is_not_blank()
    {
        await WithReport("eks-access", async page =>
        {
            Assert.Equal("unknown", await Cell(page, "arn:aws:iam::111122223333:role/auto-mode-cluster", "", "persistentvolumes", "create"));
            Assert.Equal("yes", await Cell(page, "arn:aws:iam::111122223333:role/payments-secrets", "payments", "secrets", "get"));
            Assert.True(await page.EvaluateExpressionAsync<int>("document.querySelectorAll('svg.graph a.node').length") > 5);

            var png = await page.ScreenshotBase64Async(new ScreenshotOptions { Type = ScreenshotType.Png });

            // Decoded by the browser itself, in a page of its own (the report's page must request nothing but itself):
            // a blank page has one colour; this one must have text and coloured nodes.
            await using var scratch = await page.Browser.NewPageAsync();
            var colours = await scratch.EvaluateFunctionAsync<int>(
                """
                async (b64) => {
                  const img = new Image();
                  img.src = 'data:image/png;base64,' + b64;
                  await img.decode();
                  const canvas = document.createElement('canvas');
                  canvas.width = img.width; canvas.height = img.height;
                  const ctx = canvas.getContext('2d');
                  ctx.drawImage(img, 0, 0);
                  const pixels = ctx.getImageData(0, 0, img.width, img.height).data;
                  const seen = new Set();
                  for (let i = 0; i < pixels.length; i += 4 * 7) { seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]); }
                  return seen.size;
                }
                """,
                png);
            Assert.True(colours > 20, "the screenshot has " + colours + " colours: blank?");
        });
    }

    [RequiresToolFact(Chromium)]
    public async Task Hostile_names_run_no_script()
    {
        var dir = Directory.CreateTempSubdirectory("rolemap-report-");
        try
        {
            var target = Path.Combine(dir.FullName, "report.html");
            var run = ReportScenarios.RunHostile(dir.FullName, "--out", target);
            Assert.True(run.ExitCode == 0, run.Stderr);
            await WithPage(target, async page =>
            {
                // The group is shown as text, and the injected elements do not exist.
                Assert.Equal(0, await page.EvaluateExpressionAsync<int>("document.querySelectorAll('img, b[onmouseover], svg[onload]').length"));
                Assert.Contains("</script><script>alert(2)</script>", await page.EvaluateExpressionAsync<string>("document.getElementById('identities').textContent"), StringComparison.Ordinal);
                Assert.Equal("yes", await Cell(page, "arn:aws:iam::111122223333:role/a&b+c=d@e,f", "default", "secrets", "get"));
            });
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Writes the example's report to a temporary file and opens it.</summary>
    private static async Task WithReport(string example, Func<IPage, Task> body)
    {
        var dir = Directory.CreateTempSubdirectory("rolemap-report-");
        try
        {
            var target = Path.Combine(dir.FullName, example + ".html");
            var run = ReportScenarios.Run(example, "--out", target);
            Assert.True(run.ExitCode == 0, run.Stderr);
            await WithPage(target, body);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Opens a file in headless Chromium, runs <paramref name="body"/>, then checks the page stayed offline and quiet.</summary>
    private static async Task WithPage(string file, Func<IPage, Task> body)
    {
        var options = new LaunchOptions
        {
            ExecutablePath = Tools.Require(Chromium),
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            Timeout = 120_000,
        };
        await using var browser = await Puppeteer.LaunchAsync(options);
        await using var page = await browser.NewPageAsync();
        page.DefaultTimeout = 60_000;
        var url = new Uri(file).AbsoluteUri;
        var requests = new List<string>();
        var problems = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type is ConsoleType.Error or ConsoleType.Warning)
            {
                lock (problems)
                {
                    problems.Add("console " + e.Message.Type + ": " + e.Message.Text);
                }
            }
        };
        page.PageError += (_, e) =>
        {
            lock (problems)
            {
                problems.Add("page error: " + e.Message);
            }
        };
        page.Dialog += async (_, e) =>
        {
            lock (problems)
            {
                problems.Add("dialog: " + e.Dialog.Message);
            }

            await e.Dialog.Dismiss();
        };
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            lock (requests)
            {
                requests.Add(e.Request.Url);
            }

            if (e.Request.Url == url)
            {
                await e.Request.ContinueAsync();
            }
            else
            {
                await e.Request.AbortAsync();
            }
        };
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        var response = await page.GoToAsync(url, WaitUntilNavigation.Load);
        Assert.True(response.Ok, "the page did not load");
        Assert.True(await page.EvaluateExpressionAsync<bool>("document.querySelectorAll('#matrix-view .matrix, #matrix-view .note').length > 0"), "the script did not draw the matrix");
        await body(page);
        Assert.Equal([url], requests);
        Assert.Empty(problems);
    }

    /// <summary>
    /// The access a matrix cell shows (yes, named, unknown, no) once the namespace filter is set to <paramref name="ns"/>
    /// ("" cluster scope), or absent when the matrix has no such row.
    /// </summary>
    private static async Task<string> Cell(IPage page, string principal, string ns, string resource, string verb)
    {
        await SelectByText(page, "f-namespace", ns.Length == 0 ? "(cluster scope)" : ns);
        return await page.EvaluateFunctionAsync<string>(
            """
            (p, ns, r, v) => {
              const row = [...document.querySelectorAll('#matrix-view tr')].find(t => t.dataset.p === p && t.dataset.ns === ns && t.dataset.r === r);
              if (!row) { return 'absent'; }
              const cell = [...row.querySelectorAll('td.cell')].find(c => c.dataset.v === v);
              return cell ? cell.dataset.a : 'absent';
            }
            """,
            principal,
            ns,
            resource,
            verb);
    }

    /// <summary>Every matrix row shown, as principal|namespace|resource.</summary>
    private static async Task<List<string>> Rows(IPage page) =>
        [.. await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#matrix-view tbody tr')].map(t => t.dataset.p + '|' + t.dataset.ns + '|' + t.dataset.r)")];

    /// <summary>Chooses the option with this text, as a user would (the change event fires).</summary>
    private static async Task SelectByText(IPage page, string id, string text)
    {
        var value = await page.EvaluateFunctionAsync<string>("(id, text) => { const o = [...document.getElementById(id).options].find(o => o.textContent === text); return o ? o.value : null; }", id, text);
        Assert.True(value is not null, "no option '" + text + "' in #" + id);
        await page.SelectAsync("#" + id, value);
    }

    private static async Task<List<string>> WhoCan(IPage page) =>
        [.. await page.EvaluateExpressionAsync<string[]>("[...document.querySelectorAll('#wc-results li')].map(li => li.dataset.p)")];
}
