import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Letter } from 'letterapp';

@Injectable()
export class LetterService implements OnApplicationShutdown {
  /** One client for the whole app. It reads LETTER_API_KEY and LETTER_BASE_URL. */
  readonly client = new Letter();
  readonly #logger = new Logger(LetterService.name);

  /** Runs on SIGTERM (see enableShutdownHooks in main.ts), after the HTTP server has stopped. */
  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.client.close(); // delivers whatever is still queued
    this.#logger.log(`Letter client closed (${signal})`);
  }
}
