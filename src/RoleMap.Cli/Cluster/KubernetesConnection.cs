using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using k8s;
using k8s.Authentication;

namespace RoleMap.Cli.Cluster;

/// <summary>
/// The HTTP connection to one API server, set up from a <see cref="KubernetesClientConfiguration"/> exactly as
/// KubernetesClient's <see cref="Kubernetes"/> constructor sets up its own: a <see cref="SocketsHttpHandler"/> with the
/// same keep-alive settings, KubernetesClient's validation of the cluster CA, the client certificate (PEM data or
/// files, as in its CertUtils), and its <see cref="Kubernetes.CreateCredentials"/> for tokens, token files, exec
/// credential plugins and basic auth. rolemap does not construct <see cref="Kubernetes"/> itself because its constructor
/// initialises KubernetesClient's JSON options, which root a serializer context of every Kubernetes type: most of the
/// native image, rehydrated on every start of every command, cluster or not (docs/benchmarks.md).
/// </summary>
internal sealed class KubernetesConnection : IDisposable
{
    private KubernetesConnection(Uri baseUri, HttpClient client, ServiceClientCredentials? credentials, KubernetesClientConfiguration config)
    {
        BaseUri = baseUri;
        Client = client;
        Credentials = credentials;
        Config = config;
    }

    public Uri BaseUri { get; }

    public HttpClient Client { get; }

    /// <summary>What to put on each request (bearer token, exec plugin token, basic auth); null for none or a client certificate.</summary>
    public ServiceClientCredentials? Credentials { get; }

    public KubernetesClientConfiguration Config { get; }

    /// <summary>Throws <see cref="k8s.Exceptions.KubeConfigException"/>, <see cref="IOException"/> or a cryptography exception for a configuration that cannot be used.</summary>
    public static KubernetesConnection Create(KubernetesClientConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (string.IsNullOrWhiteSpace(config.Host))
        {
            throw new k8s.Exceptions.KubeConfigException("Host url must be set");
        }

        if (!Uri.TryCreate(config.Host, UriKind.Absolute, out var host))
        {
            throw new k8s.Exceptions.KubeConfigException("Bad host url");
        }

        // With a trailing slash, as KubernetesClient keeps it: a server behind a proxy path (Rancher's
        // /k8s/clusters/ID) keeps its last segment when request paths are joined to it.
        var baseUri = host.AbsoluteUri.EndsWith('/') ? host : new Uri(host.AbsoluteUri + "/");

        var handler = new SocketsHttpHandler
        {
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            KeepAlivePingDelay = TimeSpan.FromMinutes(3),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            EnableMultipleHttp2Connections = true,
        };
        handler.SslOptions.ClientCertificates = [];
        if (baseUri.Scheme == Uri.UriSchemeHttps)
        {
            if (config.SkipTlsVerify)
            {
                // The kubeconfig's insecure-skip-tls-verify: the user asked for no verification, as kubectl honours it.
#pragma warning disable CA5359
                handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
#pragma warning restore CA5359
            }
            else if (config.SslCaCerts is { } caCerts)
            {
                var trusted = new X509Certificate2Collection();
                foreach (var cert in caCerts)
                {
                    trusted.Add(X509CertificateLoader.LoadCertificate(cert.RawData));
                }

                // KubernetesClient's check of the chain against the cluster CA, plus the host name it leaves out: a
                // certificate the cluster CA issued to something else (a kubelet's, say) must not pass for the API server.
                handler.SslOptions.RemoteCertificateValidationCallback = (sender, certificate, chain, errors) =>
                    certificate is not null && chain is not null
                    && (errors & (SslPolicyErrors.RemoteCertificateNameMismatch | SslPolicyErrors.RemoteCertificateNotAvailable)) == 0
                    && Kubernetes.CertificateValidationCallBack(sender, trusted, certificate, chain, errors);
            }
        }

        if (ClientCertificate(config) is { } clientCert)
        {
            handler.SslOptions.ClientCertificates.Add(clientCert);
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => clientCert;
        }

        var client = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        if (!string.IsNullOrWhiteSpace(config.UserAgent))
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", config.UserAgent);
        }

        return new KubernetesConnection(baseUri, client, Kubernetes.CreateCredentials(config), config);
    }

    public void Dispose() => Client.Dispose();

    /// <summary>The kubeconfig's client certificate and key (base64 PEM data or PEM files), as KubernetesClient loads them; null without both.</summary>
    private static X509Certificate2? ClientCertificate(KubernetesClientConfiguration config)
    {
        var hasCert = !string.IsNullOrWhiteSpace(config.ClientCertificateData) || !string.IsNullOrWhiteSpace(config.ClientCertificateFilePath);
        var hasKey = !string.IsNullOrWhiteSpace(config.ClientCertificateKeyData) || !string.IsNullOrWhiteSpace(config.ClientKeyFilePath);
        if (!hasCert || !hasKey)
        {
            return null;
        }

        var key = !string.IsNullOrWhiteSpace(config.ClientKeyFilePath)
            ? File.ReadAllText(config.ClientKeyFilePath)
            : Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateKeyData));
        var cert = !string.IsNullOrWhiteSpace(config.ClientCertificateFilePath)
            ? File.ReadAllText(config.ClientCertificateFilePath)
            : Encoding.UTF8.GetString(Convert.FromBase64String(config.ClientCertificateData));
        var certificate = X509Certificate2.CreateFromPem(cert, key);

        // Windows' TLS stack needs the key in a persisted store, as KubernetesClient's CertUtils does it.
        return OperatingSystem.IsWindows() ? X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null) : certificate;
    }
}
