// Must fail to compile, with a diagnostic that names the misspelt event and the plan's events.
import { Letter } from 'letterapp';

type Plan = {
  events: {
    'Signed Up': { plan: 'free' | 'pro' };
    'Order Completed': { order_id: string; total: number };
  };
};

const letter = new Letter<Plan>();
letter.track({ userId: 42, event: 'Sgined Up' });
