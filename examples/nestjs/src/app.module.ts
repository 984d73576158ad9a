import { Module } from '@nestjs/common';
import { LetterService } from './letter.service.js';
import { SignupController } from './signup.controller.js';

@Module({
  controllers: [SignupController],
  providers: [LetterService],
})
export class AppModule {}
