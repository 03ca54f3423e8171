"""SpasmCoach: a calm, step-by-step guide through back-spasm stretches, ice and heat timers and a journal."""

__version__ = "0.1.0"
