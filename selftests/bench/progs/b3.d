/* B3: read latency histogram with thread-local timestamps */
BEGIN { printf("READY\n"); }
syscall::read:entry { self->ts = timestamp; }
syscall::read:return /self->ts/ { @ = quantize(timestamp - self->ts); self->ts = 0; }
