# One multi-stage image definition for every application of the suite.
#   docker build --build-arg SERVICE=detection-service -t ml-suite/detection-service .
# docker-compose.yml builds all five with it.

FROM eclipse-temurin:17-jdk AS build
ARG SERVICE
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
COPY inference-core/pom.xml inference-core/
COPY inference-spring-boot-starter/pom.xml inference-spring-boot-starter/
COPY test-support/pom.xml test-support/
COPY gateway-service/pom.xml gateway-service/
COPY detection-service/pom.xml detection-service/
COPY detox-service/pom.xml detox-service/
COPY vision-service/pom.xml vision-service/
COPY ocr-service/pom.xml ocr-service/
COPY system-tests/pom.xml system-tests/
RUN ./mvnw -B -q -pl ${SERVICE} -am dependency:go-offline -DexcludeReactor=true || true
COPY . .
RUN ./mvnw -B -q -pl ${SERVICE} -am package -DskipTests \
    && cp $(ls ${SERVICE}/target/${SERVICE}-*.jar | grep -v -e plain -e sources) /app.jar

FROM eclipse-temurin:17-jre
ARG SERVICE
RUN apt-get update && apt-get install -y --no-install-recommends curl fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system suite && useradd --system --gid suite --home-dir /app suite \
    && mkdir -p /app/data/jobs /app/models && chown -R suite:suite /app
WORKDIR /app
COPY --from=build /app.jar /app/app.jar
COPY --chown=suite:suite models /app/models
USER suite
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=60" \
    OMP_WAIT_POLICY=PASSIVE \
    SUITE_JOBS_ARTIFACT_DIRECTORY=/app/data/jobs \
    DJL_CACHE_DIR=/app/data/djl \
    ENGINE_CACHE_DIR=/app/data/djl
VOLUME ["/app/data"]
HEALTHCHECK --interval=15s --timeout=5s --start-period=180s --retries=5 \
    CMD curl -fsS "http://127.0.0.1:${SERVER_PORT}/actuator/health/readiness" || exit 1
ENTRYPOINT ["java", "-jar", "/app/app.jar"]
