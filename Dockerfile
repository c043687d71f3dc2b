# Build: docker build -t oneuihub-graphql .   (tests run in CI, not in the image build)
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -ntp dependency:go-offline
COPY schema schema
COPY src src
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 hub
USER hub
# the repackaged jar (Start-Class io.oneuihub.OneUiHubApplication) that PackagedJarIT starts; the glob leaves
# out the plain oneuihub-graphql-*.jar.original
COPY --from=build /src/target/oneuihub-graphql-*.jar /app/app.jar
EXPOSE 8080
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/app.jar"]
