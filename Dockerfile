# syntax=docker/dockerfile:1
# token-rotation-operator image: docker build -t token-rotation-operator:0.1.0-SNAPSHOT .
# (Not built in this repository's CI: no container engine there. See README "Install in a cluster".)

# ---- build: the shaded jar operator/target/token-rotation-operator.jar
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# poms first, so the dependency download is cached while only sources change
COPY pom.xml ./
COPY simulators/pom.xml simulators/
COPY operator/pom.xml operator/
COPY sandbox/pom.xml sandbox/
RUN mvn -B -q -pl operator -am dependency:go-offline -DexcludeArtifactIds=simulators || true
COPY . .
RUN mvn -B -q -pl operator -am package -DskipTests

# ---- runtime: JRE only, no shell, no package manager, non-root (uid 65532)
FROM gcr.io/distroless/java17-debian12:nonroot
WORKDIR /app
COPY --from=build /src/operator/target/token-rotation-operator.jar /app/token-rotation-operator.jar
USER 65532:65532
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/token-rotation-operator.jar"]
