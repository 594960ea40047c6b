# The Haenau server; docker-compose.yml runs it against the postgis/postgis image.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build:web
ENV PORT=8080
EXPOSE 8080
CMD ["npm", "start"]
