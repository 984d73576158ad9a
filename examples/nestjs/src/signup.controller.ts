import { Body, Controller, Post } from '@nestjs/common';
import { LetterService } from './letter.service.js';

@Controller('signup')
export class SignupController {
  constructor(private readonly letter: LetterService) {}

  @Post()
  signUp(@Body() body: { userId: string; plan: string }): { ok: true } {
    // track() only queues: it never waits on the network, so the response is not delayed.
    this.letter.client.track({ userId: body.userId, event: 'Signed Up', properties: { plan: body.plan } });
    return { ok: true };
  }
}
