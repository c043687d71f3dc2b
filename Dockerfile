# The hub's image: docker build -t oneuihub-graphql .   (docker compose up --build does this too)
# Tests run in CI (mvn -B -ntp verify), not in the image build.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY schema schema
COPY src src
# the cache mount keeps ~/.m2 between builds, so a source change does not download every dependency again
RUN --mount=type=cache,target=/root/.m2 mvn -B -ntp -DskipTests package
# Split the repackaged jar (Start-Class io.oneuihub.OneUiHubApplication; the glob leaves out the plain
# *.jar.original) into its layers, each a directory holding its part of the jar's own layout.
RUN cp target/oneuihub-graphql-*.jar /tmp/app.jar \
 && java -Djarmode=tools -jar /tmp/app.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:17-jre-noble
RUN groupadd --system --gid 10001 hub \
 && useradd --system --uid 10001 --gid hub --no-create-home --shell /usr/sbin/nologin hub
WORKDIR /app
# Least to most often changed, so a code change rebuilds only the last layer. The files stay root-owned:
# the hub only reads them.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# numeric, so runAsNonRoot-style checks can verify it without reading /etc/passwd
USER 10001:10001
EXPOSE 8080
# curl comes with eclipse-temurin's Ubuntu images. Readiness follows the database only (see application.yml).
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=6 \
  CMD curl -fsS -o /dev/null "http://localhost:${PORT:-8080}/actuator/health/readiness" || exit 1
# JarLauncher starts the manifest's Start-Class, the production application. The heap follows the container's
# memory limit; an OutOfMemoryError ends the process so the orchestrator restarts it instead of leaving it
# half-alive. More JVM options: JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "org.springframework.boot.loader.launch.JarLauncher"]
