<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="vi_VN">
<context>
    <name>AmountDialog</name>
    <message>
        <location filename="../../ui/amount_dialog.py" line="31" />
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/amount_dialog.py" line="35" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
</context>
<context>
    <name>CashDialog</name>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="21" />
        <source>Cash payment</source>
        <translation>Thanh toán tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="27" />
        <source>Amount due: %1</source>
        <translation>Cần thanh toán: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="36" />
        <source>Exact</source>
        <translation>Vừa đủ</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="45" />
        <source>Confirm cash</source>
        <translation>Xác nhận tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="49" />
        <source>Back</source>
        <translation>Quay lại</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="76" />
        <source>Cash received: %1</source>
        <translation>Khách đưa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="78" />
        <source>Change: %1</source>
        <translation>Tiền thừa: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/cash_dialog.py" line="80" />
        <source>Still due: %1</source>
        <translation>Còn thiếu: %1</translation>
    </message>
</context>
<context>
    <name>DiscountDialog</name>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="23" />
        <source>Percent %</source>
        <translation>Phần trăm %</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="24" />
        <source>Amount</source>
        <translation>Thành tiền</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="32" />
        <source>Value</source>
        <translation>Giá trị</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="36" />
        <source>Damaged item</source>
        <translation>Hàng lỗi</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="36" />
        <source>Price match</source>
        <translation>Khớp giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="37" />
        <source>Loyal customer</source>
        <translation>Khách thân thiết</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="37" />
        <source>Staff discount</source>
        <translation>Giảm giá nhân viên</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="38" />
        <source>Promotion</source>
        <translation>Khuyến mãi</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="40" />
        <source>Reason (required)</source>
        <translation>Lý do (bắt buộc)</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="49" />
        <source>Apply</source>
        <translation>Áp dụng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="53" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="88" />
        <source>Enter a discount above zero</source>
        <translation>Nhập mức giảm lớn hơn 0</translation>
    </message>
    <message>
        <location filename="../../ui/sell/discount_dialog.py" line="90" />
        <source>Enter a value</source>
        <translation>Nhập giá trị</translation>
    </message>
</context>
<context>
    <name>LoginScreen</name>
    <message>
        <location filename="../../ui/login_screen.py" line="72" />
        <source>Sign in to Storeline</source>
        <translation>Đăng nhập Storeline</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="73" />
        <source>PIN</source>
        <translation>Mã PIN</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="74" />
        <source>Sign in</source>
        <translation>Đăng nhập</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="108" />
        <source>Tap your name</source>
        <translation>Chạm vào tên của bạn</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="118" />
        <source>Tap your name first</source>
        <translation>Hãy chọn tên của bạn trước</translation>
    </message>
    <message>
        <location filename="../../ui/login_screen.py" line="130" />
        <source>Wrong PIN. Try again.</source>
        <translation>Sai mã PIN. Vui lòng thử lại.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/shell.py" line="230" />
        <source>Sell</source>
        <translation>Bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="230" />
        <source>Customers</source>
        <translation>Khách hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="231" />
        <source>Returns</source>
        <translation>Đổi trả</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="231" />
        <source>Pickups</source>
        <translation>Nhận hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="232" />
        <source>Orders</source>
        <translation>Đơn hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="199" />
        <location filename="../../ui/shell.py" line="232" />
        <source>Manager</source>
        <translation>Quản lý</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="198" />
        <source>Associate</source>
        <translation>Nhân viên</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="198" />
        <source>Cashier</source>
        <translation>Thu ngân</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="233" />
        <source>Settings</source>
        <translation>Cài đặt</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="236" />
        <source>Lock</source>
        <translation>Khóa</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="249" />
        <source>Offline: HQ sync is not set up · %1 sales kept on this device, waiting to sync</source>
        <translation>Ngoại tuyến: chưa kết nối đồng bộ HQ · %1 đơn lưu trên máy, chờ đồng bộ</translation>
    </message>
</context>
<context>
    <name>OverrideDialog</name>
    <message>
        <location filename="../../ui/override_dialog.py" line="22" />
        <source>Manager approval</source>
        <translation>Quản lý duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="30" />
        <source>A manager enters their PIN to approve.</source>
        <translation>Quản lý nhập mã PIN để duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="45" />
        <source>Approve</source>
        <translation>Duyệt</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="48" />
        <source>Cancel</source>
        <translation>Hủy</translation>
    </message>
    <message>
        <location filename="../../ui/override_dialog.py" line="70" />
        <source>That PIN cannot approve this.</source>
        <translation>Mã PIN này không có quyền duyệt.</translation>
    </message>
</context>
<context>
    <name>PlannedScreen</name>
    <message>
        <location filename="../../ui/shell.py" line="38" />
        <source>This screen is not available in this version yet.</source>
        <translation>Màn hình này chưa có trong phiên bản này.</translation>
    </message>
</context>
<context>
    <name>SaleCompleteView</name>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="52" />
        <source>Sale complete</source>
        <translation>Hoàn tất bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="53" />
        <source>New sale</source>
        <translation>Đơn mới</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="57" />
        <source>Receipt %1</source>
        <translation>Hóa đơn %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="58" />
        <source>Total %1</source>
        <translation>Tổng cộng %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sale_complete.py" line="59" />
        <source>Change %1</source>
        <translation>Tiền thừa %1</translation>
    </message>
</context>
<context>
    <name>SellScreen</name>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="182" />
        <source>Scan a barcode or search products</source>
        <translation>Quét mã vạch hoặc tìm sản phẩm</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="183" />
        <source>Item</source>
        <translation>Sản phẩm</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="183" />
        <source>Qty</source>
        <translation>SL</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="183" />
        <source>Price</source>
        <translation>Đơn giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="183" />
        <source>Amount</source>
        <translation>Thành tiền</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="184" />
        <source>Subtotal</source>
        <translation>Tạm tính</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="185" />
        <source>Discounts</source>
        <translation>Giảm giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="186" />
        <source>VAT included</source>
        <translation>Đã gồm VAT</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="187" />
        <source>Sales tax</source>
        <translation>Thuế bán hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="188" />
        <source>Total</source>
        <translation>Tổng cộng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="189" />
        <source>Quantity</source>
        <translation>Số lượng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="190" />
        <source>Remove</source>
        <translation>Xóa dòng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="191" />
        <location filename="../../ui/sell/sell_screen.py" line="328" />
        <source>Line discount</source>
        <translation>Giảm giá dòng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="192" />
        <location filename="../../ui/sell/sell_screen.py" line="328" />
        <source>Basket discount</source>
        <translation>Giảm giá đơn</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="193" />
        <location filename="../../ui/sell/sell_screen.py" line="362" />
        <source>Change price</source>
        <translation>Đổi giá</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="194" />
        <source>Void basket</source>
        <translation>Hủy giỏ hàng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="195" />
        <source>Pay cash</source>
        <translation>Trả tiền mặt</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="216" />
        <source>Unknown barcode %1: not in this store's catalog. Nothing was added.</source>
        <translation>Mã vạch %1 không có trong danh mục của cửa hàng. Chưa thêm gì.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="219" />
        <source>Not a valid barcode: %1. Nothing was added.</source>
        <translation>Mã vạch không hợp lệ: %1. Chưa thêm gì.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="250" />
        <source>No products match</source>
        <translation>Không có sản phẩm phù hợp</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="285" />
        <source>Added %1</source>
        <translation>Đã thêm %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="297" />
        <source>Quantity: %1</source>
        <translation>Số lượng: %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="302" />
        <source>Type a quantity on the keypad, then press Quantity</source>
        <translation>Nhập số lượng trên bàn phím số, rồi bấm Số lượng</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="326" />
        <location filename="../../ui/sell/sell_screen.py" line="359" />
        <source>Add an item first</source>
        <translation>Hãy thêm sản phẩm trước</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="352" />
        <source>A discount above %1 % needs a manager.</source>
        <translation>Giảm giá trên %1 % cần quản lý duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="363" />
        <source>New unit price for %1</source>
        <translation>Đơn giá mới cho %1</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="369" />
        <source>Changing a price needs a manager.</source>
        <translation>Đổi giá cần quản lý duyệt.</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="400" />
        <source>The basket is empty</source>
        <translation>Giỏ hàng trống</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="412" />
        <source>Sign in first</source>
        <translation>Hãy đăng nhập trước</translation>
    </message>
    <message>
        <location filename="../../ui/sell/sell_screen.py" line="435" />
        <source>The sale was NOT recorded: %1. The basket is kept; try again.</source>
        <translation>Đơn hàng CHƯA được ghi: %1. Giỏ hàng vẫn giữ nguyên; hãy thử lại.</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../ui/shell.py" line="64" />
        <source>Language</source>
        <translation>Ngôn ngữ</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="65" />
        <source>Store</source>
        <translation>Cửa hàng</translation>
    </message>
    <message>
        <location filename="../../ui/shell.py" line="66" />
        <source>Device</source>
        <translation>Thiết bị</translation>
    </message>
</context>
</TS>