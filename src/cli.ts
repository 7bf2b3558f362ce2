console.log("nfw-tls-logs");
