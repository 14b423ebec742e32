# One image per service, built from this solution: docker build --build-arg SERVICE=Platform.Ingestion .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG SERVICE
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY contracts/ contracts/
COPY services/ services/
RUN test -n "$SERVICE" || (echo "pass --build-arg SERVICE=Platform.<Service>" >&2; exit 1)
RUN dotnet publish "services/$SERVICE/$SERVICE.csproj" -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
ARG SERVICE
WORKDIR /app
COPY --from=build /app .
ENV SERVICE_ASSEMBLY=$SERVICE.dll \
    ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SERVICE_ASSEMBLY\""]
