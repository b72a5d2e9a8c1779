/* B6: kernel stack profile */
BEGIN { printf("READY\n"); }
profile-997 { @[stack()] = count(); }
