console.log('lamina');
