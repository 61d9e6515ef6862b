# One image for the api, worker and ui services of docker-compose.yml (the command differs).
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY ui/package.json ui/package.json
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npm run build --workspace ui

FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client ca-certificates \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app /app
USER node
EXPOSE 4000 3000
CMD ["node_modules/.bin/tsx", "api/server.ts"]
