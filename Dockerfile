# The directory service: Python app plus the GraphiQL assets it serves itself.
FROM node:20-slim AS web-assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
WORKDIR /app
COPY requirements.lock ./
RUN pip install --no-cache-dir -r requirements.lock
COPY --from=web-assets /app/node_modules ./node_modules
COPY . .
ENV HOST=0.0.0.0 PORT=8000
EXPOSE 8000
# WORKERS uvicorn processes (default: the number of cores) on uvloop and httptools. `exec` makes the server
# PID 1, so `docker stop`'s SIGTERM reaches it: it stops accepting, lets requests in flight finish
# (GRACEFUL_SHUTDOWN_SECONDS at most), and closes each worker's database connections.
CMD ["sh", "-c", "python manage.py migrate && python manage.py load-data && exec python manage.py serve"]
