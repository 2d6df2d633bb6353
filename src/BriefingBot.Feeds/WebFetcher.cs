using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace BriefingBot.Feeds;

/// <summary>Why a fetch failed, in words for a log line; <see cref="RetryAfter"/> when the server asked for a pause.</summary>
public sealed class FetchException(string reason, TimeSpan? retryAfter = null) : Exception(reason)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

/// <summary>What a fetch brought back: the body, or nothing new (304).</summary>
public sealed record FetchResult(Uri FinalUrl, bool NotModified, byte[] Body, string? MediaType, string? Charset, string? ETag, string? LastModified);

/// <summary>
/// Fetches feeds and pages from addresses nobody here chose: http and https only, at most five redirects, private
/// and loopback addresses refused (checked on the address actually connected to, so a name that resolves inside
/// the network is refused too), a size cap on the body after decompression, one timeout for the whole exchange,
/// only the expected content types, and one request at a time to any host.
/// </summary>
public sealed class WebFetcher : IDisposable
{
    public const int MaxRedirects = 5;

    public static readonly IReadOnlyList<string> FeedTypes =
        ["application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml", "application/x-rss+xml"];

    public static readonly IReadOnlyList<string> PageTypes = ["text/html", "application/xhtml+xml"];

    private readonly HttpClient _http;
    private readonly FeedOptions _options;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _hosts = new(StringComparer.OrdinalIgnoreCase);

    public WebFetcher(IOptions<FeedOptions> options)
    {
        _options = options.Value;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate | DecompressionMethods.Brotli,
            ConnectTimeout = _options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectCallback = ConnectAsync,
            UseProxy = false,
        };
        _http = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.TryParseAdd(_options.UserAgent);
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var gate in _hosts.Values)
        {
            gate.Dispose();
        }
    }

    /// <summary>Fetches <paramref name="url"/>; throws <see cref="FetchException"/> with the reason when it cannot.</summary>
    public async Task<FetchResult> FetchAsync(
        Uri url, IReadOnlyList<string> acceptedTypes, long maxBytes, string? etag = null, string? lastModified = null, CancellationToken cancellationToken = default)
    {
        var current = url;
        for (var redirects = 0; ; redirects++)
        {
            RefuseScheme(current);

            // One request at a time to a host; the time limit starts once it is this request's turn.
            var gate = _hosts.GetOrAdd(current.Host, _ => new SemaphoreSlim(1, 1));
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.Timeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                request.Headers.Accept.ParseAdd(string.Join(", ", acceptedTypes) + ", */*;q=0.1");
                if (etag is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-None-Match", etag);
                }

                if (lastModified is not null)
                {
                    request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (redirects == MaxRedirects)
                    {
                        throw new FetchException($"more than {MaxRedirects} redirects");
                    }

                    current = response.Headers.Location is { } location
                        ? new Uri(current, location)
                        : throw new FetchException($"HTTP {status} without a Location");
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return new FetchResult(current, true, [], null, null, etag, lastModified);
                }

                if (status is 429 or 503)
                {
                    throw new FetchException($"HTTP {status} ({response.ReasonPhrase})", RetryAfter(response.Headers.RetryAfter));
                }

                if (!response.IsSuccessStatusCode)
                {
                    throw new FetchException($"HTTP {status} ({response.ReasonPhrase})");
                }

                var mediaType = response.Content.Headers.ContentType?.MediaType;
                if (mediaType is not null && !acceptedTypes.Contains(mediaType, StringComparer.OrdinalIgnoreCase))
                {
                    throw new FetchException($"content type {mediaType}, not {(acceptedTypes == PageTypes ? "a web page" : "a feed")}");
                }

                if (response.Content.Headers.ContentLength is { } length && length > maxBytes)
                {
                    throw new FetchException($"too large ({length:N0} bytes; the limit is {maxBytes:N0})");
                }

                var body = await ReadCappedAsync(response.Content, maxBytes, timeout.Token).ConfigureAwait(false);
                return new FetchResult(
                    current, false, body, mediaType, response.Content.Headers.ContentType?.CharSet?.Trim('"'),
                    response.Headers.ETag?.ToString(), response.Content.Headers.LastModified?.ToString("R"));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FetchException($"no answer within {_options.Timeout.TotalSeconds:0} s");
            }
            catch (HttpRequestException ex) when (ex.InnerException is FetchException refused)
            {
                throw refused;
            }
            catch (HttpRequestException ex)
            {
                throw new FetchException(ex.HttpRequestError == HttpRequestError.Unknown ? ex.Message : $"{ex.HttpRequestError}: {ex.Message}");
            }
            finally
            {
                gate.Release();
            }
        }
    }

    private static void RefuseScheme(Uri url)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            throw new FetchException($"only http and https addresses are read, not '{(url.IsAbsoluteUri ? url.Scheme : url.OriginalString)}'");
        }
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, long maxBytes, CancellationToken cancellationToken)
    {
        using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return buffer.ToArray();
            }

            if (buffer.Length + read > maxBytes)
            {
                // Counted after decompression: a small gzip that unpacks to gigabytes stops here too.
                throw new FetchException($"too large (over {maxBytes:N0} bytes)");
            }

            buffer.Write(chunk, 0, read);
        }
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header) => header switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - DateTimeOffset.UtcNow is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(context.DnsEndPoint.Host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, cancellationToken).ConfigureAwait(false);
        var allowed = _options.AllowPrivateAddresses ? addresses : addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new FetchException(addresses.Length == 0
                ? $"{context.DnsEndPoint.Host} has no address"
                : $"{context.DnsEndPoint.Host} is a private or loopback address ({addresses[0]}); set Feeds:AllowPrivateAddresses to read it");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken).ConfigureAwait(false);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Loopback, private (RFC 1918, unique local), link-local, shared, unspecified, multicast or reserved; an IPv6
    /// address that carries an IPv4 one (mapped, IPv4-compatible <c>::a.b.c.d</c>, NAT64 <c>64:ff9b::/96</c>, 6to4
    /// <c>2002::/16</c>) is judged by the IPv4 address it reaches, and local-use NAT64 <c>64:ff9b:1::/48</c> is private.
    /// </summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        else if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var v6 = address.GetAddressBytes();
            var span = v6.AsSpan();
            if (span[..12].IndexOfAnyExcept((byte)0) < 0 && span[12..].IndexOfAnyExcept((byte)0) >= 0 && !IPAddress.IsLoopback(address))
            {
                return IsPrivate(new IPAddress(v6[12..])); // IPv4-compatible ::a.b.c.d
            }

            if (v6[0] == 0x00 && v6[1] == 0x64 && v6[2] == 0xff && v6[3] == 0x9b)
            {
                // NAT64: the well-known prefix reaches the IPv4 address in its last four bytes; the local-use one, the operator's network.
                return span[4..12].IndexOfAnyExcept((byte)0) >= 0 || IsPrivate(new IPAddress(v6[12..]));
            }

            if (v6[0] == 0x20 && v6[1] == 0x02)
            {
                return IsPrivate(new IPAddress(v6[2..6])); // 6to4
            }
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.IPv6None))
        {
            return true;
        }

        var b = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return b[0] is 0 or 10 or 127 || b[0] >= 224
                || (b[0] == 172 && b[1] is >= 16 and <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 169 && b[1] == 254)
                || (b[0] == 100 && b[1] is >= 64 and <= 127)
                || (b[0] == 192 && b[1] == 0 && b[2] is 0 or 2)
                || (b[0] == 198 && b[1] is 18 or 19);
        }

        return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || address.IsIPv6UniqueLocal
            || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8);
    }
}
