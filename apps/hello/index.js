console.log("Hello from Runtime.JS!");
