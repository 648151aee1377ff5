# One image per module: docker build --build-arg MODULE=api|worker .
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
ARG MODULE
# tesseract: OCR of scanned PDFs and images (quarry.ingest.ocr.enabled).
RUN apt-get update && apt-get install -y --no-install-recommends wget tesseract-ocr tesseract-ocr-eng && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/${MODULE}/target/quarry-${MODULE}-*-exec.jar /app/quarry.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-jar", "/app/quarry.jar"]
