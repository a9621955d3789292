using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Fairscope.Testing;

/// <summary>A quiet Kestrel app on 127.0.0.1 and a free port: what every fake server here starts from.</summary>
internal static class LoopbackApp
{
    /// <summary>Builds the app, lets <paramref name="map"/> add its routes, starts it, and returns it with its root URL (no trailing slash).</summary>
    public static async Task<(WebApplication App, string Root)> StartAsync(Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        return (app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/'));
    }

    /// <summary>An OpenAI-style error answer: the status, an optional Retry-After in seconds, and a JSON body.</summary>
    public static Task WriteStatusAsync(HttpContext context, int code, int? retryAfterSeconds, string body)
    {
        context.Response.StatusCode = code;
        if (retryAfterSeconds is { } wait) context.Response.Headers.RetryAfter = wait.ToString();
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }
}
