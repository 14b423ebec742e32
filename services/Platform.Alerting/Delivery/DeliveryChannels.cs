using System.Security.Cryptography;
using System.Text;
using Amazon.Runtime;
using Amazon.SQS;
using Amazon.SQS.Model;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Platform.Alerting.Delivery;

/// <summary>
/// Sends one attempt of a delivery by its protocol: webhooks and functions (a signed JSON POST), Slack (an incoming
/// webhook's <c>{"text"}</c>), SQS (SendMessage) and e-mail (SMTP). Every attempt is bounded by the attempt timeout, and
/// what a subscriber answers is kept only up to <see cref="DeliveryOptions.MaxResponseBytes"/>.
/// </summary>
public sealed class DeliveryChannels(DeliveryOptions options, DeliveryTargets targets) : IDisposable
{
    /// <summary>The same on every attempt of one delivery: a subscriber that saw it already ignores it.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    public const string DeliveryIdHeader = "X-Platform-Delivery-Id";

    private readonly HttpClient _http = new(GuardedConnection.CreateHandler(
        options.AllowPrivateTargets, options.AttemptTimeout, $"{DeliveryOptions.Section}:AllowPrivateTargets")) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly ConcurrentDictionary<string, AmazonSQSClient> _sqs = new(StringComparer.Ordinal);

    public async Task<AttemptResult> SendAsync(DeliveryWork work, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.AttemptTimeout);
        try
        {
            return work.Protocol switch
            {
                TopicProtocols.Http or TopicProtocols.Https or DeliveryProtocols.Lambda =>
                    await PostAsync(work, work.Body, now, timeout.Token),
                TopicProtocols.Slack => await PostAsync(work, SlackText(work), now, timeout.Token),
                TopicProtocols.Sqs => await SendToQueueAsync(work, timeout.Token),
                TopicProtocols.Email => await SendEmailAsync(work, timeout.Token),
                _ => AttemptResult.Refused($"unknown protocol '{work.Protocol}'"),
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new AttemptResult(false, null, $"no answer within {options.AttemptTimeout.TotalSeconds:0.###} s", null);
        }
        catch (Exception ex) when (GuardedConnection.Find<TargetRefusedException>(ex) is { } refused)
        {
            return AttemptResult.Refused(refused.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or AmazonServiceException or AmazonClientException or IOException
                                       or SmtpCommandException or SmtpProtocolException or AuthenticationException or SslHandshakeException)
        {
            return new AttemptResult(false, null, Describe(ex), null);
        }
    }

    /// <summary>A signed POST of the JSON body (<see cref="SignedRequests"/>) with the idempotency key headers.</summary>
    private async Task<AttemptResult> PostAsync(DeliveryWork work, string body, DateTimeOffset now, CancellationToken cancellationToken)
    {
        using var request = SignedRequests.Post(
            work.Endpoint, body, targets.SecretOf(work.Resource) ?? options.SigningSecret, now, "Platform-Alerting");
        request.Headers.Add(IdempotencyKeyHeader, work.IdempotencyKey);
        request.Headers.Add(DeliveryIdHeader, work.Id.ToString());

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var text = await ReadBoundedAsync(response.Content, cancellationToken);
        var status = (int)response.StatusCode;
        return response.IsSuccessStatusCode
            ? new AttemptResult(true, status, null, text)
            : new AttemptResult(false, status, $"HTTP {status} {response.ReasonPhrase}", text);
    }

    /// <summary>A Slack-compatible incoming webhook's message: the subject, and the body as a code block cut to Slack's taste.</summary>
    private static string SlackText(DeliveryWork work)
    {
        const int MaxDetail = 3000;
        var detail = work.Body.Length > MaxDetail ? work.Body[..MaxDetail] + "…" : work.Body;
        return new JsonObject { ["text"] = $"*{work.Subject}*\n```{detail}```" }.ToJsonString();
    }

    private async Task<AttemptResult> SendToQueueAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        var (queueUrl, region) = QueueAddress(work.Endpoint);
        var client = _sqs.GetOrAdd(region, CreateSqsClient);
        var request = new SendMessageRequest { QueueUrl = queueUrl, MessageBody = work.Body };
        if (queueUrl.EndsWith(".fifo", StringComparison.Ordinal))
        {
            // FIFO queues drop a second message with the same deduplication id within five minutes.
            request.MessageGroupId = "platform-alerts";
            request.MessageDeduplicationId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(work.IdempotencyKey)));
        }
        request.MessageAttributes = new Dictionary<string, MessageAttributeValue>
        {
            [IdempotencyKeyHeader] = new() { DataType = "String", StringValue = work.IdempotencyKey },
        };
        var response = await client.SendMessageAsync(request, cancellationToken);
        return new AttemptResult(true, (int)response.HttpStatusCode, null, $"MessageId {response.MessageId}");
    }

    /// <summary>A queue's URL and region: an ARN becomes the URL of the configured endpoint (or AWS's regional one).</summary>
    private (string Url, string Region) QueueAddress(string endpoint)
    {
        if (DeliveryTarget.Parse(endpoint, out _) is { Kind: DeliveryTargetKind.Queue } arn)
        {
            var region = arn.Region ?? options.SqsRegion;
            var root = options.SqsServiceUrl?.TrimEnd('/') ?? $"https://sqs.{region}.amazonaws.com";
            return ($"{root}/{arn.Account}/{arn.Name}", region);
        }
        var host = new Uri(endpoint).Host;
        // sqs.<region>.amazonaws.com or <region>.queue.amazonaws.com
        var labels = host.Split('.');
        var urlRegion = labels is ["sqs", var r, ..] ? r : labels is [var q, "queue", ..] ? q : options.SqsRegion;
        return (endpoint, urlRegion);
    }

    private AmazonSQSClient CreateSqsClient(string region)
    {
        var config = new AmazonSQSConfig { Timeout = options.AttemptTimeout, MaxErrorRetry = 0 };
        if (options.SqsServiceUrl is { } serviceUrl)
        {
            config.ServiceURL = serviceUrl;
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }
        return new AmazonSQSClient(config);
    }

    private async Task<AttemptResult> SendEmailAsync(DeliveryWork work, CancellationToken cancellationToken)
    {
        if (options.SmtpHost is not { Length: > 0 } host)
        {
            return AttemptResult.Refused($"no SMTP server is configured ({DeliveryOptions.Section}:SmtpHost)");
        }
        var message = new MimeMessage
        {
            Subject = work.Subject,
            Body = new TextPart("plain") { Text = JsonNode.Parse(work.Body)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) },
            // The same on every attempt: a mail system that saw it already can tell.
            MessageId = $"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(work.IdempotencyKey)))[..32]}@platform.alerting",
        };
        message.From.Add(MailboxAddress.Parse(options.SmtpFrom));
        message.To.Add(MailboxAddress.Parse(work.Endpoint));
        message.Headers.Add(IdempotencyKeyHeader, work.IdempotencyKey);

        using var smtp = new SmtpClient { Timeout = (int)options.AttemptTimeout.TotalMilliseconds };
        var security = !options.SmtpUseTls ? SecureSocketOptions.None
            : options.SmtpPort == 465 ? SecureSocketOptions.SslOnConnect
            : SecureSocketOptions.StartTls;
        await smtp.ConnectAsync(host, options.SmtpPort, security, cancellationToken);
        if (options.SmtpUserName is { Length: > 0 } user)
        {
            await smtp.AuthenticateAsync(user, options.SmtpPassword ?? "", cancellationToken);
        }
        var answer = await smtp.SendAsync(message, cancellationToken);
        await smtp.DisconnectAsync(quit: true, cancellationToken);
        return new AttemptResult(true, null, null, Cut(answer));
    }

    private async Task<string?> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        if (options.MaxResponseBytes == 0)
        {
            return null;
        }
        var (bytes, _) = await SignedRequests.ReadBoundedAsync(content, options.MaxResponseBytes, cancellationToken);
        return bytes.Length == 0 ? null : Encoding.UTF8.GetString(bytes);
    }

    private string? Cut(string? text) =>
        text is null || text.Length <= options.MaxResponseBytes ? text : text[..options.MaxResponseBytes];

    private static string Describe(Exception ex)
    {
        var inner = ex.InnerException is { } i && i.Message != ex.Message ? $" ({i.Message})" : "";
        return ex.Message + inner;
    }

    public void Dispose()
    {
        _http.Dispose();
        foreach (var client in _sqs.Values)
        {
            client.Dispose();
        }
    }
}
