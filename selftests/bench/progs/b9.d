/* B9: block requests by device name (io:::start, the stable provider) */
BEGIN { printf("READY\n"); }
io:::start { @[args[1]->dev_statname] = count(); }
