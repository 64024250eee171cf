// file: src/main.ts
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module.js';

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.enableShutdownHooks(); // SIGTERM: the SSE streams and their watches end, then the HTTP server closes
  await app.listen(process.env.PORT ?? 3000);
}
await bootstrap();
